"""The notices of a build, read when asked for: metadata lines and texts located by offsets in mapped files.

Parsing every notice of a large corpus at start is slow (JSON of a million passages' notices: ~1 GB of Chinese
text, decoded at 30-100 MB/s) and keeps every text in memory. The build writes each notice's metadata as one JSON
line without its texts (`notices.jsonl`), both texts as UTF-8 in `notice_texts.bin`, the byte offsets of both in
`notice_cols.npy`, and a few short fields of every notice as columns (`notice_cards.json`: id, title, issuer,
date, province, city, county, township) for what looks at every notice (place names, filters). A `Notice` is
made on first use and the most recent ones are kept.

Example: store = NoticeStore.load(build); store[nid].text; len(store); nid in store; store.cards["province"][row].
"""
from __future__ import annotations

import json
import mmap
import threading
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Iterator

import numpy as np

from ..types import Notice

CARD_FIELDS = ("id", "title", "issuer", "date", "province", "city", "county", "township")
# columns of notice_cols.npy: byte offsets of the metadata line, the text, the raw text; the text's length
META0, META1, TEXT0, TEXT1, RAW0, RAW1, CHARS = range(7)
KEEP = 4096  # notices kept made (a question touches tens of them)


def write_notices(folder: Path, notices: list[Notice], json_bytes) -> None:
    """notices.jsonl, notice_texts.bin, notice_cols.npy and notice_cards.json of these notices, in this order."""
    cols = np.zeros((len(notices), 7), dtype=np.int64)
    with open(folder / "notices.jsonl", "wb") as meta, open(folder / "notice_texts.bin", "wb") as texts:
        mpos = tpos = 0
        for i, n in enumerate(notices):
            d = n.to_dict()
            d.pop("text")
            d.pop("raw_text")
            line = json_bytes(d) + b"\n"
            t, r = n.text.encode("utf-8", "surrogatepass"), n.raw_text.encode("utf-8", "surrogatepass")
            cols[i] = (mpos, mpos + len(line) - 1, tpos, tpos + len(t), tpos + len(t), tpos + len(t) + len(r),
                       len(n.text))
            meta.write(line)
            texts.write(t)
            texts.write(r)
            mpos += len(line)
            tpos += len(t) + len(r)
    np.save(folder / "notice_cols.npy", cols, allow_pickle=False)
    cards = {f: [getattr(n, f) for n in notices] for f in CARD_FIELDS}
    (folder / "notice_cards.json").write_bytes(json_bytes(cards))


def _mapped(path: Path) -> bytes | mmap.mmap:
    with open(path, "rb") as f:
        if not f.seek(0, 2):
            return b""  # an empty file cannot be mapped
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


class NoticeStore(Mapping):
    """Notice id -> Notice, in build order. Read-only; safe to share between threads."""

    def __init__(self, cards: dict[str, list], cols: np.ndarray, meta, texts) -> None:
        self.cards = cards
        self.cols = cols
        self._meta, self._texts = meta, texts
        self.ids: list[str] = cards["id"]
        self.row = {nid: i for i, nid in enumerate(self.ids)}
        self._made: OrderedDict[int, Notice] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def load(cls, folder: Path) -> "NoticeStore":
        """Raises ValueError (or OSError) when the files do not fit together."""
        cards = json.loads((folder / "notice_cards.json").read_bytes())
        if not isinstance(cards, dict) or set(cards) != set(CARD_FIELDS):
            raise ValueError("notice_cards.json: not the expected columns")
        n = len(cards["id"])
        if any(not isinstance(v, list) or len(v) != n for v in cards.values()) or \
                not all(isinstance(x, str) for x in cards["id"]) or len(set(cards["id"])) != n:
            raise ValueError("notice_cards.json: columns of different lengths or ids not unique")
        cols = np.load(folder / "notice_cols.npy", allow_pickle=False)
        if cols.dtype.kind != "i" or cols.shape != (n, 7):
            raise ValueError(f"notice_cols.npy: {cols.dtype} {cols.shape} for {n} notices")
        meta, texts = _mapped(folder / "notices.jsonl"), _mapped(folder / "notice_texts.bin")
        if n and ((cols[:, :CHARS] < 0).any() or cols[:, META1].max() > len(meta) or
                  max(cols[:, TEXT1].max(), cols[:, RAW1].max()) > len(texts) or
                  (cols[:, META0] > cols[:, META1]).any() or (cols[:, TEXT0] > cols[:, TEXT1]).any() or
                  (cols[:, RAW0] > cols[:, RAW1]).any()):
            raise ValueError("notice_cols.npy: offsets outside notices.jsonl / notice_texts.bin")
        return cls(cards, cols, meta, texts)

    def make(self, i: int) -> Notice:
        """The notice of row i (ValueError / KeyError / UnicodeDecodeError when its bytes are not a notice)."""
        m0, m1, t0, t1, r0, r1, chars = self.cols[i].tolist()
        d = json.loads(self._meta[m0:m1])
        d["text"] = self._texts[t0:t1].decode("utf-8", "surrogatepass")
        d["raw_text"] = self._texts[r0:r1].decode("utf-8", "surrogatepass")
        n = Notice.from_dict(d)
        if n.id != self.ids[i] or len(n.text) != chars:
            raise ValueError(f"notice row {i} is not notice {self.ids[i]}")
        return n

    def __getitem__(self, nid: str) -> Notice:
        i = self.row[nid]  # KeyError for an unknown id, as a dict
        with self._lock:
            n = self._made.get(i)
            if n is not None:
                self._made.move_to_end(i)
                return n
        n = self.make(i)
        with self._lock:
            self._made[i] = n
            if len(self._made) > KEEP:
                self._made.popitem(last=False)
        return n

    def __contains__(self, nid) -> bool:
        return nid in self.row

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def text_lengths(self) -> np.ndarray:
        return self.cols[:, CHARS]

    def place_names(self) -> tuple[str, ...]:
        """The places the notices are about (their provinces, cities, counties and townships), sorted."""
        c = self.cards
        return tuple(sorted({x for f in ("province", "city", "county", "township") for x in c[f] if x}))
