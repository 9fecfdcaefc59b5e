"""Staff feedback on answers (有用 / 有误), kept in a SQLite file in the data folder (`Config.data_dir`, outside
the index folder, which is rebuilt at will), and turned into evaluation rows.

One row per answer (`key`: conversation id and turn number): marking the same answer again updates its row.
A row keeps the question and the earlier questions, the answer text, its short answer, its citations and the
index version it was answered from. Writes take SQLite's write lock at once (BEGIN IMMEDIATE) and wait for it
(busy timeout), in WAL mode, so several server threads and processes can write at the same time.

Exported rows (`eval_row`) follow the question-set schema of evaluate.py and carry `origin` (where the row came
from) and `confirmed`. A row is unconfirmed until someone confirms it in the 评测 tab; evaluation skips
unconfirmed rows, so the assistant is never scored against its own unchecked output.
"""
from __future__ import annotations

import io
import json
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .errors import AssistantError

SCHEMA_VERSION = 1
VERDICTS = {"useful": "有用", "wrong": "有误"}
FILE_NAME = "feedback.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL UNIQUE,
  verdict TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  question TEXT NOT NULL,
  rewritten_question TEXT NOT NULL DEFAULT '',
  history TEXT NOT NULL DEFAULT '[]',
  answer_text TEXT NOT NULL DEFAULT '',
  short_answer TEXT NOT NULL DEFAULT '',
  abstained INTEGER NOT NULL DEFAULT 0,
  citations TEXT NOT NULL DEFAULT '[]',
  index_version TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  confirmed INTEGER NOT NULL DEFAULT 0,
  confirmed_at TEXT NOT NULL DEFAULT '',
  expected TEXT NOT NULL DEFAULT ''
)"""
_CITATION_KEYS = ("n", "notice_id", "title", "issuer", "date", "section", "quote", "start", "end", "page")


class FeedbackError(AssistantError):
    """The feedback file cannot be opened or written (a full disk, a file of another program)."""


@dataclass(frozen=True)
class FeedbackRecord:
    """One answer marked by staff. `expected` is the expected answer set when the row was confirmed."""

    id: int
    key: str
    verdict: str  # "useful" (有用) or "wrong" (有误)
    comment: str  # for 有误: the staff member's correction (used as the expected answer); for 有用: a remark
    question: str
    rewritten_question: str
    history: tuple[str, ...]
    answer_text: str
    short_answer: str
    abstained: bool
    citations: tuple[dict[str, Any], ...]
    index_version: str
    created_at: str
    updated_at: str
    confirmed: bool = False
    confirmed_at: str = ""
    expected: str = ""


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")


class FeedbackStore:
    """The feedback file. Every call opens its own connection, so one store can be shared by server threads."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._write() as db:
                db.execute(_SCHEMA)
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise FeedbackError(f"反馈文件由更新版本的程序写入,无法使用:{self.path}",
                                        f"schema {version} > {SCHEMA_VERSION}")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except (sqlite3.Error, OSError) as e:
            raise FeedbackError(f"无法打开反馈文件:{self.path}", repr(e)) from e

    @classmethod
    def in_folder(cls, data_dir: str | Path) -> "FeedbackStore":
        return cls(Path(data_dir) / FILE_NAME)

    def _connect(self, wait_s: float = 30.0) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=wait_s, isolation_level=None)
        db.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
        # WAL is a property of the file, set once. Switching to it needs the file to itself, and SQLite answers
        # "database is locked" at once (no busy wait) while another process is creating it: try again, briefly.
        deadline = time.monotonic() + wait_s
        while True:
            try:
                if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                    db.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or time.monotonic() > deadline:
                    db.close()
                    raise
                time.sleep(0.02)
        db.row_factory = sqlite3.Row
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    def record(self, key: str, verdict: str, answer: dict[str, Any], history: list[str] | tuple[str, ...] = (),
               index_version: str = "", comment: str | None = None) -> FeedbackRecord:
        """Mark an answer (`answer` as Answer.to_dict()); marking it again changes the verdict (and the comment
        when one is given). A changed row is unconfirmed again."""
        if verdict not in VERDICTS:
            raise FeedbackError(f"未知的反馈:{verdict}", f"verdict must be one of {list(VERDICTS)}")
        cites = [{k: c.get(k) for k in _CITATION_KEYS} for c in answer.get("citations") or []]
        now = _now()
        try:
            with self._write() as db:
                db.execute(
                    "INSERT INTO feedback (key, verdict, comment, question, rewritten_question, history, answer_text,"
                    " short_answer, abstained, citations, index_version, created_at, updated_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
                    " ON CONFLICT(key) DO UPDATE SET verdict=excluded.verdict,"
                    " comment=CASE WHEN ? THEN excluded.comment ELSE comment END,"
                    " updated_at=excluded.updated_at, confirmed=0, confirmed_at='', expected=''",
                    (key, verdict, comment or "", answer.get("question", ""), answer.get("rewritten_question", ""),
                     json.dumps(list(history), ensure_ascii=False), answer.get("text", ""),
                     answer.get("short_answer", "") or "", int(bool(answer.get("abstained"))),
                     json.dumps(cites, ensure_ascii=False), index_version, now, now, comment is not None))
                row = db.execute("SELECT * FROM feedback WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as e:
            raise FeedbackError(f"反馈没有保存成功(反馈文件:{self.path})", repr(e)) from e
        return _record(row)

    def rows(self, confirmed: bool | None = None) -> list[FeedbackRecord]:
        """All rows, newest first; only confirmed (True) or unconfirmed (False) ones when asked."""
        sql, args = "SELECT * FROM feedback", ()
        if confirmed is not None:
            sql, args = sql + " WHERE confirmed = ?", (int(confirmed),)
        try:
            db = self._connect()
            try:
                return [_record(r) for r in db.execute(sql + " ORDER BY id DESC", args)]
            finally:
                db.close()
        except sqlite3.Error as e:
            raise FeedbackError(f"无法读取反馈文件:{self.path}", repr(e)) from e

    def confirm(self, expected: dict[int, str]) -> int:
        """Confirm rows (id -> expected answer as checked by staff; "" keeps what the row would export).
        Returns how many rows were confirmed."""
        now = _now()
        with self._write() as db:
            n = 0
            for rid, exp in expected.items():
                n += db.execute("UPDATE feedback SET confirmed = 1, confirmed_at = ?, expected = ? WHERE id = ?",
                                (now, (exp or "").strip(), int(rid))).rowcount
        return n

    def discard(self, ids: list[int]) -> int:
        """Delete rows that should not become evaluation questions."""
        with self._write() as db:
            return sum(db.execute("DELETE FROM feedback WHERE id = ?", (int(i),)).rowcount for i in ids)


def _record(r: sqlite3.Row) -> FeedbackRecord:
    return FeedbackRecord(
        id=r["id"], key=r["key"], verdict=r["verdict"], comment=r["comment"], question=r["question"],
        rewritten_question=r["rewritten_question"], history=tuple(json.loads(r["history"] or "[]")),
        answer_text=r["answer_text"], short_answer=r["short_answer"], abstained=bool(r["abstained"]),
        citations=tuple(json.loads(r["citations"] or "[]")), index_version=r["index_version"],
        created_at=r["created_at"], updated_at=r["updated_at"], confirmed=bool(r["confirmed"]),
        confirmed_at=r["confirmed_at"], expected=r["expected"])


# ------------------------------------------------------------------ evaluation rows

def expected_answer(r: FeedbackRecord) -> str:
    """What the row expects: as confirmed; else for 有误 the correction, for 有用 the short answer.

    Example: 有误 with comment "84.36万人" -> "84.36万人"; 有用 of "24.93万户 …" with short answer -> "24.93万户".
    """
    if r.expected:
        return r.expected
    return r.comment.strip() if r.verdict == "wrong" else r.short_answer


def eval_row(r: FeedbackRecord) -> dict[str, Any]:
    """The row as a question of an evaluation set (the JSONL schema of evaluate.py), marked with its origin and
    whether it was confirmed. 有误 carries the correction as the expected answer; 有用 carries the cited quotes
    as evidence, and an abstention marked 有用 becomes an unanswerable question."""
    exp = expected_answer(r)
    useful = r.verdict == "useful"
    return {
        "id": f"feedback-{r.id}",
        "question": r.question,
        "answers": [exp] if exp and not (useful and r.abstained) else [],
        "evidence": [c["quote"] for c in r.citations if c.get("quote")] if useful and not r.abstained else [],
        "history": list(r.history),
        "type": "feedback",
        "unanswerable": useful and r.abstained,
        "origin": f"反馈:{VERDICTS.get(r.verdict, r.verdict)},{r.created_at},索引 {r.index_version}",
        "confirmed": r.confirmed,
    }


def eval_rows_jsonl(rows: list[FeedbackRecord]) -> str:
    return "".join(json.dumps(eval_row(r), ensure_ascii=False) + "\n" for r in rows)


XLSX_HEADERS = (("编号", "id"), ("问题", "question"), ("答案", "answers"), ("依据", "evidence"), ("历史", "history"),
                ("类型", "type"), ("无法回答", "unanswerable"), ("来源", "origin"), ("已确认", "confirmed"))


def eval_rows_xlsx(rows: list[FeedbackRecord]) -> bytes:
    """The rows as an XLSX question set (the columns evaluation reads; lists joined by |)."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "评测题"
    ws.append([h for h, _ in XLSX_HEADERS])
    for r in rows:
        d = eval_row(r)
        ws.append([" | ".join(d[k]) if isinstance(d[k], list) else ("是" if d[k] is True else "否" if d[k] is False
                                                                      else d[k]) for _, k in XLSX_HEADERS])
    for col, width in zip("ABCDEFGHI", (14, 40, 20, 50, 30, 10, 10, 40, 8)):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
