"""Load test: concurrent gradio_client users against a running chat server, each asking different questions.

    .venv/bin/python app.py &                        # or make run
    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:7860/ --users 8 --questions 25

Each user takes its own 25 questions from the dev set (wrapping round), with their conversation history, and
asks them one after another through the /ask endpoint. Prints the error count and p50/p95/max latency.
Bounded: users × questions requests, each with a timeout; only the given (local) URL is contacted.
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--url", default="http://127.0.0.1:7860/")
    p.add_argument("--users", type=int, default=8)
    p.add_argument("--questions", type=int, default=25)
    p.add_argument("--timeout", type=float, default=60.0)
    args = p.parse_args(argv)
    if not args.url.startswith(("http://127.", "http://localhost", "http://[::1]")):
        print("refusing a non-local URL", file=sys.stderr)
        return 2
    from gradio_client import Client

    rows = [json.loads(x) for x in (ROOT / "evals" / "questions.jsonl").read_text(encoding="utf-8").splitlines() if x]
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def user(u: int) -> None:
        try:
            c = Client(args.url, verbose=False)
        except Exception as e:  # noqa: BLE001
            with lock:
                errors.extend([f"user {u}: connect: {e}"] * args.questions)
            return
        for k in range(args.questions):
            r = rows[(u * args.questions + k) % len(rows)]
            t = time.perf_counter()
            try:
                job = c.submit(r["question"], r.get("history") or [], 5, api_name="/ask")
                d = job.result(timeout=args.timeout)
                ok = isinstance(d, dict) and "text" in d
            except Exception as e:  # noqa: BLE001
                ok, d = False, repr(e)
            ms = (time.perf_counter() - t) * 1000
            with lock:
                lat.append(ms)
                if not ok:
                    errors.append(f"user {u} q{k}: {str(d)[:200]}")

    t0 = time.perf_counter()
    threads = [threading.Thread(target=user, args=(u,)) for u in range(args.users)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    n = args.users * args.questions
    print(f"requests: {n}  errors: {len(errors)}  wall: {wall:.1f} s  throughput: {n / wall:.1f} req/s")
    if lat:
        print(f"latency ms: p50 {np.percentile(lat, 50):.0f}  p95 {np.percentile(lat, 95):.0f}  max {max(lat):.0f}")
    for e in errors[:10]:
        print("  ", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
