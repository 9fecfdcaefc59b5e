"""Which notices a filter allows, looked up instead of tested notice by notice.

A filter names notice ids, a region (a substring of the notice's region text: its places, issuer and title, as
`Filters.allows` tests it) and a date range. Made once per loaded build from the notices' short fields:
- region: the notices holding each character and each pair of adjacent characters of the region texts (a sorted
  array of (piece, notice row) codes). A region of one character is that character's rows; a longer one is the
  rows holding all its pairs, then tested with `in` on those rows only (a pair can occur apart from the others);
- dates: the rows sorted by date, a range is two binary searches;
- ids: the build's notice rows by id.
Each question then costs a few binary searches and work in proportion to the notices that match, not a pass over
every notice (~8 ms for 100k notices in numpy before). Made on first use (Assistant.warm_up makes it): a sort of
every (piece, notice) pair, 0.7 s for the 100k notices of the 1M-passage benchmark (plus 0.7 s for their short
fields, IndexData.cards); a region filter then takes 0.4-12 ms there (a longer region: each candidate holding all
its pairs is tested with `in`), a date range 0.3 ms.

Example: lk = NoticeLookup(["a", "b"], ["陕西省 石泉县", "甘肃省"], ["2019-04-04", ""]);
lk.rows(Filters(region="陕西")) -> [0]; lk.rows(Filters(date_from="2019-01-01")) -> [0]; lk.rows(Filters()) -> None.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..types import Filters

_PAIR = np.uint64(1 << 42)  # pair codes (first << 21 | second) are kept apart from single characters
_ROW_BITS = 21  # below 2**21 notices a (piece, row) pair fits one uint64 (pieces need 43 bits)
_ROWS = 1 << _ROW_BITS


def _points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)


class NoticeLookup:
    """Notice rows a filter allows. Read-only after construction; safe to share between threads."""

    def __init__(self, ids: Sequence[str], region_texts: Sequence[str], dates: Sequence[str | None]) -> None:
        self.n = len(ids)
        self.row = {nid: i for i, nid in enumerate(ids)}
        self.region_texts = list(region_texts)
        lengths = np.fromiter((len(t) for t in self.region_texts), dtype=np.int64, count=self.n)
        points = _points("".join(self.region_texts))  # all texts at once, then cut by their lengths
        row = np.repeat(np.arange(self.n, dtype=np.int64), lengths)
        same = row[:-1] == row[1:]  # adjacent characters of one text
        code = np.concatenate([points, ((points[:-1] << np.uint64(21)) | points[1:])[same] + _PAIR])
        row = np.concatenate([row, row[:-1][same]])
        if self.n < _ROWS:  # (piece, row) as one integer: one sort, by piece then row; a piece twice in a text once
            both = np.sort((code << np.uint64(_ROW_BITS)) | row.astype(np.uint64))
            both = both[np.concatenate(([True], both[1:] != both[:-1]))] if len(both) else both
            code, row = both >> np.uint64(_ROW_BITS), (both & np.uint64(_ROWS - 1)).astype(np.int64)
        else:
            order = np.lexsort((row, code))
            code, row = code[order], row[order]
            keep = np.ones(len(code), dtype=bool)
            keep[1:] = (code[1:] != code[:-1]) | (row[1:] != row[:-1])
            code, row = code[keep], row[keep]
        self.codes, self.code_rows = code, row
        d = np.array([x or "" for x in dates], dtype=str) if self.n else np.zeros(0, dtype="<U1")
        self.date_order = np.argsort(d, kind="stable")
        self.sorted_dates = d[self.date_order]

    def _with(self, code: np.uint64) -> np.ndarray:
        a = int(np.searchsorted(self.codes, code, side="left"))
        b = int(np.searchsorted(self.codes, code, side="right"))
        return self.code_rows[a:b]

    def region_rows(self, region: str) -> np.ndarray:
        """Sorted rows whose region text holds `region` (as `region in notice.region_text`)."""
        if not region:
            return np.arange(self.n)
        c = _points(region)
        if len(c) == 1:
            return self._with(c[0])
        pairs = np.unique(((c[:-1] << np.uint64(21)) | c[1:]) + _PAIR)
        found = sorted((self._with(p) for p in pairs), key=len)
        rows = found[0]
        for more in found[1:]:
            if not len(rows):
                break
            rows = np.intersect1d(rows, more, assume_unique=True)
        if len(c) > 2:  # every pair present, but perhaps not together
            texts = self.region_texts
            rows = np.array([r for r in rows.tolist() if region in texts[r]], dtype=np.int64)
        return rows

    def date_rows(self, date_from: str | None, date_to: str | None) -> np.ndarray:
        """Sorted rows with a date inside the range (a notice without a date is outside any range)."""
        s = self.sorted_dates
        lo = int(np.searchsorted(s, date_from or "", side="left" if date_from else "right"))
        hi = int(np.searchsorted(s, date_to, side="right")) if date_to else len(s)
        return np.sort(self.date_order[lo:max(lo, hi)])

    def rows(self, filters: Filters) -> np.ndarray | None:
        """Sorted rows the filters allow; None when no filter is active (every notice)."""
        if not filters.active:
            return None
        parts = []
        if filters.notice_ids:
            parts.append(np.array(sorted({self.row[i] for i in filters.notice_ids if i in self.row}), dtype=np.int64))
        if filters.region:
            parts.append(self.region_rows(filters.region))
        if filters.date_from or filters.date_to:
            parts.append(self.date_rows(filters.date_from, filters.date_to))
        parts.sort(key=len)
        rows = parts[0]
        for more in parts[1:]:
            rows = np.intersect1d(rows, more, assume_unique=True)
        return rows.astype(np.int64)

    def mask(self, filters: Filters) -> np.ndarray:
        """The same as a boolean mask over the notices (all True without filters)."""
        rows = self.rows(filters)
        if rows is None:
            return np.ones(self.n, dtype=bool)
        ok = np.zeros(self.n, dtype=bool)
        ok[rows] = True
        return ok
