"""The passages of a build as columns: a `Passage` is made when it is asked for.

A build of a million passages held as a million `Passage` records (and parsed from a million JSON lines at every
start) costs seconds of loading and a gigabyte of memory. The build writes each passage as a row of integers
instead (its notice, start, end and heading path), its id in a fixed-width array, and its text not at all: a
passage's text is `notice.text[start:end]` by construction. Looking a passage up by id is a binary search over the
ids sorted at build time.

Example: table = PassageTable.of(passages, notices); table[3] == passages[3]; table.position[passages[3].id] == 3.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Iterator

import numpy as np

from ..types import Notice, Passage

# columns of `cols`
NOTICE, START, END, SECTION = range(4)


class PassageTable(Sequence):
    """The passages of a build, in build order. Read-only; safe to share between threads."""

    def __init__(self, ids: np.ndarray, cols: np.ndarray, sorted_rows: np.ndarray, sections: list[tuple[str, ...]],
                 notice_ids: list[str], notices: Mapping[str, Notice]) -> None:
        self.ids = ids  # passage ids, build order (fixed-width unicode)
        self.cols = cols  # int32 rows of (notice row, start, end, section row)
        self.sorted_rows = sorted_rows  # rows in the order of their ids (for binary search)
        self.sections = sections
        self.notice_ids = notice_ids  # notice row -> notice id
        self.notices = notices
        self.position = PositionLookup(self)
        self._by_notice: NoticeGroups | None = None

    @classmethod
    def of(cls, passages: Sequence[Passage], notices: Mapping[str, Notice]) -> "PassageTable":
        """Columns for these passages (the build's order), their notices numbered in the order of `notices`."""
        row = {nid: i for i, nid in enumerate(notices)}
        sec: dict[tuple[str, ...], int] = {}
        cols = np.zeros((len(passages), 4), dtype=np.int32)
        for i, p in enumerate(passages):
            cols[i] = (row[p.notice_id], p.start, p.end, sec.setdefault(tuple(p.section), len(sec)))
        width = max((len(p.id) for p in passages), default=1)
        ids = np.array([p.id for p in passages], dtype=f"<U{width}")
        return cls(ids, cols, np.argsort(ids, kind="stable").astype(np.int64), list(sec), list(notices), notices)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"passage row {i} out of range ({n})")
        r, s, e, sec = self.cols[i].tolist()
        nid = self.notice_ids[r]
        return Passage(id=str(self.ids[i]), notice_id=nid, section=self.sections[sec], start=s, end=e,
                       text=self.notices[nid].text[s:e])

    def __iter__(self) -> Iterator[Passage]:
        for i in range(len(self)):
            yield self[i]

    def id_at(self, i: int) -> str:
        return str(self.ids[i])

    @property
    def notice_rows(self) -> np.ndarray:
        return self.cols[:, NOTICE]

    @property
    def by_notice(self) -> "NoticeGroups":
        if self._by_notice is None:
            self._by_notice = NoticeGroups(self)
        return self._by_notice

    def problems(self) -> list[str]:
        """What does not fit: a notice row, span or heading path out of range, ids not unique."""
        n = len(self)
        if self.cols.shape != (n, 4) or self.sorted_rows.shape != (n,):
            return [f"passage columns of shape {self.cols.shape} / {self.sorted_rows.shape} for {n} ids"]
        if not n:
            return []
        c = self.cols
        lengths = (self.notices.text_lengths() if hasattr(self.notices, "text_lengths") else
                   np.array([len(self.notices[nid].text) for nid in self.notice_ids], dtype=np.int64))
        out = []
        if c[:, NOTICE].min() < 0 or c[:, NOTICE].max() >= len(lengths):
            return ["a passage names a notice row that does not exist"]
        if c[:, SECTION].min() < 0 or c[:, SECTION].max() >= len(self.sections):
            out.append("a passage names a heading path that does not exist")
        if (c[:, START] < 0).any() or (c[:, START] > c[:, END]).any() or (c[:, END] > lengths[c[:, NOTICE]]).any():
            out.append("a passage span lies outside its notice")
        srt = self.sorted_rows  # sorted by the build (np.argsort), then covered by its checksum
        if srt.min() < 0 or srt.max() >= n:
            out.append("passage id order names a row that does not exist")
        return out


class PositionLookup(Mapping):
    """Passage id -> its row, by binary search over the ids sorted at build time (no dict of a million keys)."""

    def __init__(self, table: PassageTable) -> None:
        self.table = table
        self._sorted: np.ndarray | None = None

    def _row(self, key) -> int | None:
        if not isinstance(key, str):
            return None
        if self._sorted is None:
            self._sorted = self.table.ids[self.table.sorted_rows]
        j = int(np.searchsorted(self._sorted, key))
        if j < len(self._sorted) and self._sorted[j] == key:
            return int(self.table.sorted_rows[j])
        return None

    def __getitem__(self, key) -> int:
        r = self._row(key)
        if r is None:
            raise KeyError(key)
        return r

    def __contains__(self, key) -> bool:
        return self._row(key) is not None

    def __iter__(self):
        return (str(x) for x in self.table.ids)

    def __len__(self) -> int:
        return len(self.table)


class NoticeGroups(Mapping):
    """Notice id -> its passages in build order (text order). The build writes passages notice by notice, so the
    notice column is sorted and a notice's passages are found by two binary searches, with nothing made up front
    (an argsort of the column and a dict of every notice took ~55 ms at a million passages, on the first question
    that needed one notice's passages); a column that is not sorted is sorted once (stable)."""

    def __init__(self, table: PassageTable) -> None:
        self.table = table
        rows = table.notice_rows
        if len(rows) < 2 or bool(np.all(rows[1:] >= rows[:-1])):
            self.order, self.keys = None, rows
        else:
            self.order = np.argsort(rows, kind="stable")
            self.keys = rows[self.order]
        row = getattr(table.notices, "row", None)  # NoticeStore's id -> row; the same numbering as notice_ids
        self.row_of = row if isinstance(row, dict) and len(row) == len(table.notice_ids) else \
            {nid: i for i, nid in enumerate(table.notice_ids)}

    def _span(self, r: int) -> tuple[int, int]:
        return (int(np.searchsorted(self.keys, r, side="left")), int(np.searchsorted(self.keys, r, side="right")))

    def __getitem__(self, nid: str) -> list[Passage]:
        r = self.row_of.get(nid)
        if r is None:
            raise KeyError(nid)
        a, b = self._span(r)
        if a == b:
            raise KeyError(nid)
        rows = range(a, b) if self.order is None else self.order[a:b].tolist()
        return [self.table[int(i)] for i in rows]

    def __iter__(self):
        present = set(np.unique(self.keys).tolist())
        return (nid for nid, r in self.row_of.items() if r in present)

    def __len__(self) -> int:
        return int(len(np.unique(self.keys)))
