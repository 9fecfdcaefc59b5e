from dataclasses import fields
from pathlib import Path

from assistant.config import Config

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_config_field_is_documented():
    for f in fields(Config):
        assert f"| `{f.name}` |" in README, f.name


def test_env_overrides():
    c = Config.from_env({"ASSISTANT_TOP_K": "8", "ASSISTANT_BM25_WEIGHT": "0.5"})
    assert c.top_k == 8 and c.bm25_weight == 0.5
