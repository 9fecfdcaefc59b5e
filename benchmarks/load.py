"""Load test: concurrent gradio_client users against a running chat server, each asking different questions,
optionally beside one hostile client that sends maximum-size requests as fast as it can.

    .venv/bin/python app.py &                        # or make run
    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:7860/ --users 8 --questions 25 --hostile 6

Each user takes its own 25 questions from the dev set (wrapping round), with their conversation history, and
asks them one after another through the /ask endpoint. The hostile client (one session) submits bursts of
`--hostile` requests at once, each with a question of max_question_chars characters and max_history_turns
earlier questions of the same size cut from the notices, until the users are done. Prints the users' error
count and p50/p95/max latency (goal: p95 under 2 s with the hostile client), and how the hostile requests were
answered (answered / 请稍后再试 / other). Bounded: users × questions requests, each with a timeout; only the
given (local) URL is contacted. tests/reliability/test_server.py (test_load_with_a_hostile_client) runs the same
function and asserts only that every user request succeeds and that the hostile client is told 请稍后再试.
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BUSY = "请稍后再试"


@dataclass
class LoadResult:
    requests: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    hostile_answered: int = 0
    hostile_busy: int = 0
    hostile_other: list[str] = field(default_factory=list)
    wall_s: float = 0.0

    def p(self, q: float) -> float:
        return float(np.percentile(self.latencies_ms, q)) if self.latencies_ms else 0.0


def max_size_request(max_chars: int = 2000, turns: int = 6) -> tuple[str, list[str]]:
    """A question and history at the server's limits, cut from the notices' own text (real, varied terms)."""
    text = "".join("".join(f.read_text(encoding="utf-8").split()) for f in sorted((ROOT / "corpus").glob("*.txt")))
    text = (text * (1 + (turns + 1) * max_chars // max(1, len(text))))
    pieces = [text[i * max_chars:(i + 1) * max_chars] for i in range(turns + 1)]
    return pieces[-1][:-1] + "?", pieces[:-1]


def run_load(url: str, users: int = 8, questions: int = 25, hostile: int = 0, timeout: float = 60.0,
             max_chars: int = 2000, turns: int = 6) -> LoadResult:
    from gradio_client import Client

    rows = [json.loads(x) for x in (ROOT / "evals" / "questions.jsonl").read_text(encoding="utf-8").splitlines() if x]
    res = LoadResult(requests=users * questions)
    lock = threading.Lock()
    done = threading.Event()

    def user(u: int) -> None:
        try:
            c = Client(url, verbose=False)
        except Exception as e:  # noqa: BLE001
            with lock:
                res.errors.extend([f"user {u}: connect: {e}"] * questions)
            return
        for k in range(questions):
            r = rows[(u * questions + k) % len(rows)]
            t = time.perf_counter()
            try:
                d = c.submit(r["question"], r.get("history") or [], 5, api_name="/ask").result(timeout=timeout)
                ok = isinstance(d, dict) and "text" in d
            except Exception as e:  # noqa: BLE001
                ok, d = False, repr(e)
            ms = (time.perf_counter() - t) * 1000
            with lock:
                res.latencies_ms.append(ms)
                if not ok:
                    res.errors.append(f"user {u} q{k}: {str(d)[:200]}")

    def attacker() -> None:
        q, hist = max_size_request(max_chars, turns)
        c = Client(url, verbose=False)
        while not done.is_set():
            jobs = [c.submit(q, hist, 100, api_name="/ask") for _ in range(hostile)]
            for j in jobs:
                try:
                    j.result(timeout=timeout)
                    with lock:
                        res.hostile_answered += 1
                except Exception as e:  # noqa: BLE001
                    with lock:
                        if BUSY in str(e):
                            res.hostile_busy += 1
                        else:
                            res.hostile_other.append(str(e)[:200])

    t0 = time.perf_counter()
    bad = threading.Thread(target=attacker, daemon=True) if hostile else None
    if bad:
        bad.start()
        time.sleep(0.5)  # the attack is under way before the users arrive
    threads = [threading.Thread(target=user, args=(u,)) for u in range(users)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    res.wall_s = time.perf_counter() - t0
    done.set()
    if bad:
        bad.join(timeout + 5)
    return res


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--url", default="http://127.0.0.1:7860/")
    p.add_argument("--users", type=int, default=8)
    p.add_argument("--questions", type=int, default=25)
    p.add_argument("--hostile", type=int, default=0, help="requests per burst of the hostile client (0: none)")
    p.add_argument("--timeout", type=float, default=60.0)
    args = p.parse_args(argv)
    if not args.url.startswith(("http://127.", "http://localhost", "http://[::1]")):
        print("refusing a non-local URL", file=sys.stderr)
        return 2
    r = run_load(args.url, args.users, args.questions, args.hostile, args.timeout)
    print(f"requests: {r.requests}  errors: {len(r.errors)}  wall: {r.wall_s:.1f} s  "
          f"throughput: {r.requests / r.wall_s:.1f} req/s")
    if r.latencies_ms:
        print(f"latency ms: p50 {r.p(50):.0f}  p95 {r.p(95):.0f}  max {max(r.latencies_ms):.0f}"
              f"  (goal with a hostile client: p95 < 2000)")
    if args.hostile:
        print(f"hostile client: {r.hostile_answered} answered, {r.hostile_busy} told {BUSY}, "
              f"{len(r.hostile_other)} other")
        for e in r.hostile_other[:3]:
            print("  ", e)
    for e in r.errors[:10]:
        print("  ", e)
    return 1 if r.errors else 0


if __name__ == "__main__":
    sys.exit(main())
