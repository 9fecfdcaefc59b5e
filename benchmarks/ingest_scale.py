"""Ingestion time against the length of one line: every step must be linear (issue 12).

    .venv/bin/python benchmarks/ingest_scale.py            # 10k, 100k, 1M and 5M-character one-line files

Each file is one line, as a news page copied out of a browser: prose with sentence ends, a run without any
punctuation, and text full of broken HTML attributes (`a">a">`), each read, cleaned and chunked. A linear step
shows as time per million characters staying flat as the line grows.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.ingest.chunking import chunk_notice  # noqa: E402
from assistant.ingest.corpus import ingest_bytes  # noqa: E402
from assistant.ingest.readers import Limits  # noqa: E402
from assistant.ingest.regions import Gazetteer  # noqa: E402

SHAPES = {
    "prose": "全县共搬迁2.65万户8.1万人，建成集中安置点47个。",
    "no-punctuation": "易地扶贫搬迁后续扶持工作稳步推进",
    "html-attrs": '邮箱a@b.com">a@b.com">联系电话',
}


def one(shape: str, n: int, gaz) -> tuple[float, float, int]:
    unit = SHAPES[shape]
    line = (unit * (n // len(unit) + 1))[:n]
    data = ("2023-08-16 21:14:05，正文：" + line + "责任编辑：某某").encode("utf-8")
    t = time.perf_counter()
    notice, _ = ingest_bytes("x.txt", data, gaz, Limits())
    t_ingest = time.perf_counter() - t
    t = time.perf_counter()
    ps = chunk_notice(notice.id, notice.text)
    return t_ingest, time.perf_counter() - t, len(ps)


def main() -> int:
    gaz = Gazetteer.load()
    print(f"{'shape':16} {'chars':>9} {'ingest s':>9} {'chunk s':>8} {'passages':>9} {'s per M chars':>14}")
    for shape in SHAPES:
        for n in (10_000, 100_000, 1_000_000, 5_000_000):
            ti, tc, k = one(shape, n, gaz)
            print(f"{shape:16} {n:>9} {ti:>9.2f} {tc:>8.2f} {k:>9} {(ti + tc) / n * 1e6:>14.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
