import json
from pathlib import Path

import pytest

from assistant.evaluate import aggregate, read_set, run_eval
from assistant.text import squash

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "evals" / "questions.jsonl"
FLOORS = json.loads((ROOT / "evals" / "floors.json").read_text(encoding="utf-8"))


def test_dev_set_shape_and_verbatim_evidence(notices):
    items, bad = read_set(DEV)
    assert not bad and len(items) >= 80
    texts = [squash(n.text) for n in notices.values()]
    for it in items:
        for e in it.evidence:
            assert any(squash(e) in t for t in texts), (it.id, e)
    types = {it.type for it in items}
    assert {"number", "date", "policy", "list", "followup", "english", "unanswerable", "colloquial"} <= types
    assert sum(it.unanswerable for it in items) >= 8
    assert any(it.history for it in items)
    assert len({it.id for it in items}) == len(items)


@pytest.mark.model
def test_dev_set_meets_floors(real_assistant):
    items, _ = read_set(DEV)
    agg = aggregate(run_eval(real_assistant, items, 5, "hybrid"))
    for k, floor in FLOORS.items():
        if k.startswith("_"):
            continue
        if k.endswith("_max"):
            assert agg[k[:-4]] <= floor, (k, agg[k[:-4]])
        else:
            assert agg[k] >= floor, (k, agg[k])
