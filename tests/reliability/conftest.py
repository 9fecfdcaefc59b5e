"""The reliability suite: bad questions and parameters (API, CLI, /ask), bad corpora, damaged index files, builds
killed at named steps, concurrent builds, and a server under a hostile client.

Every case records its outcome (`record`); at the end pytest prints one line computed from those records:

    reliability: N cases, 0 tracebacks, 0 data lost

An outcome is "answered", "refused" (a named error with a Chinese message), "recovered" (a damaged index or
corpus handled, answers right again), "wrong-answer" (no exception, but not the right answer), "unclear" (exit
code 1 without a Chinese 错误: line, e.g. argparse's English usage text), "hang", "traceback" (an exception that is not the package's named error, a CLI
exit other than 0/1, or "Traceback" in its output) or "data-lost" (a notice other than the one under test
changed its passages, or the live index could not be loaded). Each case also asserts what it expects.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

from assistant.errors import AssistantError

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
# A small corpus for the cases that rebuild many times: the 红石桥乡 notice (the known answer 2136人) and one more
SMALL = ("2019-06-10_yuyang-hongshiqiao-township_xuncha-rectification.txt",
         "2019-04-04_dazhou-city_relocation-quality-campaign-notice.txt")
KNOWN_Q = "红石桥乡社会扶贫网注册了多少爱心人士?"
KNOWN_A = "2136人"

OUTCOMES = pytest.StashKey[list]()


@dataclass(frozen=True)
class Outcome:
    case: str
    kind: str  # answered | refused | recovered | traceback | data-lost
    message: str = ""


def pytest_configure(config):
    config.stash[OUTCOMES] = []


def pytest_terminal_summary(terminalreporter, config):
    outs = config.stash.get(OUTCOMES, [])
    if not outs:
        return
    tracebacks = [o for o in outs if o.kind == "traceback"]
    lost = [o for o in outs if o.kind == "data-lost"]
    terminalreporter.write_line(f"reliability: {len(outs)} cases, {len(tracebacks)} tracebacks, {len(lost)} data lost")
    for o in (tracebacks + lost)[:20]:
        terminalreporter.write_line(f"  {o.kind}: {o.case}: {o.message[:200]}")


@pytest.fixture
def record(request) -> Callable[..., Outcome]:
    """record(kind, message="") files this case's outcome under the test's id and returns it."""
    def rec(kind: str, message: str = "") -> Outcome:
        o = Outcome(request.node.nodeid, kind, message)
        request.config.stash[OUTCOMES].append(o)
        return o
    return rec


def outcome_of(fn: Callable[[], Any]) -> tuple[str, str, Any]:
    """Run fn: ("answered", "", result), ("refused", Chinese message, None) for the package's named errors,
    ("traceback", "Type: text", None) for anything else."""
    try:
        return "answered", "", fn()
    except AssistantError as e:
        return "refused", f"{e.zh} ({e.detail})", None
    except Exception as e:  # noqa: BLE001 - that is exactly what the suite counts
        return "traceback", f"{type(e).__name__}: {e}", None


def cli_outcome(code: int, out: str, err: str) -> tuple[str, str]:
    if "Traceback" in out + err or code not in (0, 1):
        return "traceback", f"exit {code}: {err[-300:]}"
    if code == 1:
        return ("refused", err) if err.startswith("错误:") or "\n错误:" in err else ("unclear", err)
    return "answered", ""


def passages_digest(data, skip_notices=()) -> dict[str, tuple]:
    """What a notice contributes to the index, by file name: its id and every passage (span, section, text)."""
    out = {}
    for nid, n in data.notices.items():
        if nid in skip_notices:
            continue
        out[n.path] = (nid, tuple((p.start, p.end, p.section, p.text) for p in data.by_notice.get(nid, [])))
    return out


@pytest.fixture(scope="session")
def tools():
    """One tokenizer, gazetteer and hash embedder for every in-process build of the suite."""
    from assistant.ingest.regions import Gazetteer
    from assistant.search.embed import HashEmbedder
    from assistant.text import Tokenizer
    return Tokenizer(), Gazetteer.load(), HashEmbedder()


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("small-corpus")
    for name in SMALL:
        shutil.copy(CORPUS / name, d / name)
    return d


def hash_cfg(corpus: Path, index: Path, **kw):
    from assistant import Config
    return Config(corpus_dir=corpus, index_dir=index, embedding_backend="hash", **kw)


def build(tools, corpus: Path, index: Path, rebuild: bool = False, **kw):
    """ensure_index in process (shared tools); returns (cfg, IndexData)."""
    from assistant.pipeline import ensure_index
    tok, gaz, emb = tools
    cfg = hash_cfg(corpus, index, **kw)
    return cfg, ensure_index(cfg, emb, tok, gaz, rebuild=rebuild)


def assistant_of(tools, cfg, data):
    from assistant.pipeline import Assistant
    tok, gaz, emb = tools
    return Assistant(cfg, data, emb, tok, gaz)


@pytest.fixture(scope="session")
def pristine(tools, small_corpus, tmp_path_factory):
    """A built index of the small corpus, its passages and its vectors, to copy and damage."""
    idx = tmp_path_factory.mktemp("pristine") / "index"
    cfg, data = build(tools, small_corpus, idx)
    ans = assistant_of(tools, cfg, data).ask(KNOWN_Q)
    assert KNOWN_A in ans.text
    return idx, passages_digest(data), data.vectors.copy()


def write_jsonl(path: Path, rows) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
