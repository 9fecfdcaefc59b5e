"""Does ingestion keep every word? For an evaluation set (a corpus folder + questions.jsonl with `doc` and
`evidence`), build the notices, count them against the files, and check that every question's evidence appears
verbatim in the cleaned text of its document. Prints per-file characters read and kept with --files.

    .venv/bin/python evals/check_ingest.py /work/shared/evals/crud-dev            # notices, evidence coverage
    .venv/bin/python evals/check_ingest.py /work/shared/evals/field-dev --files    # + chars read/kept per file
    .venv/bin/python evals/check_ingest.py /work/shared/evals/crud-dev --index    # + build a hash-backend index

Exit code 1 when a file is lost or an evidence string is missing (so CI or a person can rely on it).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.ingest.corpus import read_corpus  # noqa: E402
from assistant.ingest.regions import Gazetteer  # noqa: E402


def check(set_dir: Path, show_files: bool = False, build: bool = False, held_out: set[str] = frozenset()) -> dict:
    corpus_dir = set_dir / "corpus"
    t = time.perf_counter()
    corpus = read_corpus(corpus_dir, Gazetteer.load())
    ingest_s = time.perf_counter() - t
    files = sorted(p for p in corpus_dir.iterdir() if p.is_file())
    by_path = {n.path: n for n in corpus.notices}
    problems = [r for r in corpus.reports if r.status != "ok"]
    questions = [json.loads(line) for line in (set_dir / "questions.jsonl").read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    missing = []
    checked = 0
    for q in questions:
        docs = q.get("doc") or []
        docs = [docs] if isinstance(docs, str) else docs
        texts = [by_path[f"{d}.txt"].text for d in docs if f"{d}.txt" in by_path]
        for ev in q.get("evidence") or []:
            checked += 1
            if not any(ev in t for t in texts):
                missing.append(q["id"] if not (set(docs) & held_out) else "(held-out)")
    out = {"set": set_dir.name, "files": len(files), "notices": len(corpus.notices), "not_ok": len(problems),
           "evidence": checked, "evidence_found": checked - len(missing), "ingest_seconds": round(ingest_s, 2),
           "chars_read": sum(r.chars_read for r in corpus.reports), "chars_kept": sum(r.chars_kept for r in corpus.reports)}
    for r in problems:
        print(f"  {r.status}: {r.path}: {r.error or r.duplicate_of}", file=sys.stderr)
    for qid in missing:
        print(f"  evidence not in its document: {qid}", file=sys.stderr)
    if show_files:
        for r in corpus.reports:
            dropped = "; ".join(f"{d.reason}" for d in r.dropped)
            print(f"  {r.path}\tread {r.chars_read}\tkept {r.chars_kept}\t{dropped}")
    if build:
        from assistant import Assistant, Config
        with tempfile.TemporaryDirectory() as idx:
            t = time.perf_counter()
            a = Assistant.load(config=Config(corpus_dir=corpus_dir, index_dir=Path(idx), embedding_backend="hash"))
            out["indexed_notices"] = len(a.data.notices)
            out["indexed_passages"] = len(a.data.passages)
            out["build_seconds"] = round(time.perf_counter() - t, 1)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", nargs="+", type=Path, help="folders holding corpus/ and questions.jsonl")
    ap.add_argument("--files", action="store_true", help="print characters read and kept per file")
    ap.add_argument("--index", action="store_true", help="also build a hash-backend index and count its notices")
    args = ap.parse_args(argv)
    bad = 0
    for s in args.sets:
        held = set()
        split = s / "split.json"
        if split.exists():
            held = set(json.loads(split.read_text(encoding="utf-8"))["documents"].get("held-out", []))
        r = check(s, args.files, args.index, held)
        print(json.dumps(r, ensure_ascii=False))
        bad += (r["notices"] != r["files"]) + (r["evidence_found"] != r["evidence"])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
