"""Generated answers measured against a configured OpenAI-compatible server.

    .venv/bin/python benchmarks/llm.py --base-url http://127.0.0.1:8088/v1 --model qwen [--every 3 --limit 30]
    make llm-bench        # sets up llama.cpp's server with a small Qwen2.5 model (benchmarks/llm_setup.sh), runs this

For each question of the set (by default every third of evals/questions.jsonl, the first 30: all types), it asks
in "llm" mode, following the stream, and reports
- answer accuracy (the answer contains an expected answer; unanswerable questions must abstain), for the answers
  shown (generated or fallen back to quotes) and, for comparison, for the extractive answerer alone;
- how often the generated answer was shown, and why it fell back otherwise;
- wrong short answers: a short answer containing none of the expected answers, or any on an unanswerable one;
- the share of generated sentences removed by verification;
- latency to the first shown sentence and to the final answer (p50 / p95 / max);
- unchecked figures shown: every streamed sentence is checked again, independently, with the citation checker
  (answer/cite.py: each number in it occurs in a quote it cites); this must be 0.
Writes reports/llm/results.json and questions.jsonl.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant, Config  # noqa: E402
from assistant.answer.base import Final, Shown  # noqa: E402
from assistant.answer.cite import answer_problems  # noqa: E402
from assistant.evaluate import contains_any, read_set  # noqa: E402


def correct(item, ans) -> bool:
    if item.unanswerable:
        return ans.abstained
    return (not ans.abstained) and contains_any(ans.text, item.answers)


def pct(xs: list[float], q: float) -> float | None:
    if not xs:
        return None
    s = sorted(xs)
    return round(s[min(len(s) - 1, int(round(q * (len(s) - 1))))], 1)


class Recorder:
    """Wraps the answerer's chat client and keeps the raw text the model streamed (for reading failures later)."""

    def __init__(self, chat) -> None:
        self.chat, self.raw = chat, ""

    def stream(self, messages):
        self.raw = ""
        for piece in self.chat.stream(messages):
            self.raw += piece
            yield piece


def run(a: Assistant, items, log=print, sink=None) -> tuple[dict, list[dict]]:
    """Ask every item in "llm" mode; each row is also written to `sink` (a text file) as soon as it is done."""
    rows = []
    recorder = a.llm.chat = Recorder(a.llm.chat)
    for i, item in enumerate(items, 1):
        recorder.raw = ""
        t0 = time.perf_counter()
        first = None
        shown: list[Shown] = []
        final = None
        for ev in a.ask_stream(item.question, history=list(item.history), mode="llm"):
            if isinstance(ev, Shown):
                shown.append(ev)
                first = first or time.perf_counter() - t0
            elif isinstance(ev, Final):
                final = ev.answer
        total = time.perf_counter() - t0
        unchecked = [s.sentence for s in shown
                     if answer_problems(s.sentence, list(s.citations), a.data.notices)]
        ext = a.ask(item.question, history=list(item.history), mode="extractive")
        short_wrong = bool(final.short_answer) and (item.unanswerable
                                                    or not contains_any(final.short_answer, item.answers))
        row = {"id": item.id, "type": item.type, "question": item.question, "mode": final.mode,
               "correct": correct(item, final), "extractive_correct": correct(item, ext),
               "abstained": final.abstained, "short_answer": final.short_answer, "short_wrong": short_wrong,
               "sentences_shown": len(shown), "sentences_removed": len(final.failed),
               "unchecked_shown": unchecked, "first_s": round(first, 2) if first else None,
               "final_s": round(total, 2), "note": final.note, "text": final.text,
               "failed": [{"text": f.text, "reasons": list(f.reasons)} for f in final.failed],
               "raw": recorder.raw,
               "expected": list(item.answers)}
        rows.append(row)
        if sink is not None:
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
            sink.flush()
        log(f"[{i}/{len(items)}] {item.id} {final.mode:10s} {'ok ' if row['correct'] else 'BAD'} "
            f"{row['final_s']:6.1f}s shown={len(shown)} removed={len(final.failed)} {final.note[:40]}")
    return summarise(rows), rows


def summarise(rows: list[dict]) -> dict:
    gen = [r for r in rows if r["mode"] == "llm"]
    sent_total = sum(r["sentences_shown"] + r["sentences_removed"] for r in rows)
    firsts = [r["first_s"] for r in rows if r["first_s"] is not None]
    finals = [r["final_s"] for r in rows]
    reasons = Counter((r["note"].split("。")[0] if r["mode"] != "llm" else "generated") for r in rows)
    return {
        "n": len(rows),
        "answer_accuracy": round(sum(r["correct"] for r in rows) / len(rows), 3) if rows else None,
        "answer_accuracy_extractive_only": round(sum(r["extractive_correct"] for r in rows) / len(rows), 3)
        if rows else None,
        "generated_shown": len(gen),
        "generated_accuracy": round(sum(r["correct"] for r in gen) / len(gen), 3) if gen else None,
        "short_answers": sum(1 for r in rows if r["short_answer"]),
        "wrong_short_answers": sum(1 for r in rows if r["short_wrong"]),
        "sentences_generated": sent_total,
        "sentences_removed": sum(r["sentences_removed"] for r in rows),
        "removed_share": round(sum(r["sentences_removed"] for r in rows) / sent_total, 3) if sent_total else None,
        "unchecked_figures_shown": sum(len(r["unchecked_shown"]) for r in rows),
        "first_sentence_s": {"p50": pct(firsts, 0.5), "p95": pct(firsts, 0.95), "max": max(firsts, default=None)},
        "final_s": {"p50": pct(finals, 0.5), "p95": pct(finals, 0.95), "max": max(finals, default=None),
                    "mean": round(statistics.mean(finals), 1) if finals else None},
        "outcomes": dict(reasons.most_common()),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--questions", default=str(ROOT / "evals" / "questions.jsonl"))
    p.add_argument("--every", type=int, default=3, help="take every n-th question (default 3)")
    p.add_argument("--limit", type=int, default=30)
    p.add_argument("--base-url", help="OpenAI-compatible server (default: ASSISTANT_LLM_BASE_URL)")
    p.add_argument("--model", help="model name (default: ASSISTANT_LLM_MODEL)")
    p.add_argument("--timeout", type=float, help="llm_timeout in seconds")
    p.add_argument("--label", default="", help="the model's name for the report")
    p.add_argument("--out", default=str(ROOT / "reports" / "llm"))
    args = p.parse_args(argv)
    cfg = Config.from_env(llm_base_url=args.base_url, llm_model=args.model, llm_timeout=args.timeout)
    if not cfg.llm_base_url:
        print("设置 --base-url 或 ASSISTANT_LLM_BASE_URL", file=sys.stderr)
        return 1
    items, bad = read_set(args.questions)
    sample = items[::args.every][:args.limit]
    print(f"{len(sample)} questions: {' '.join(i.id for i in sample)}", file=sys.stderr)
    a = Assistant.load(config=cfg)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "questions.partial.jsonl", "w", encoding="utf-8") as sink:  # survives an interrupted run
        summary, rows = run(a, sample, log=lambda s: print(s, file=sys.stderr, flush=True), sink=sink)
    summary = {"model": args.label or cfg.llm_model, "server": cfg.llm_base_url, "questions": args.questions,
               "sample": f"every {args.every}th, first {args.limit}", "ids": [i.id for i in sample], **summary}
    (out / "results.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "questions.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                         encoding="utf-8")
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
