"""Evaluation of question sets: reading JSONL / CSV / XLSX sets, per-question checks, metrics, reports.

Reading and metrics are pure; `run_eval` calls the assistant; `write_report` is the only writer.
Comparisons normalise both sides with NFKC and remove all whitespace.
"""
from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable

from .text import squash

COLUMNS = {  # Chinese column headers -> field names
    "编号": "id", "问题": "question", "答案": "answers", "依据": "evidence", "类型": "type",
    "无法回答": "unanswerable", "历史": "history", "语言": "lang", "来源": "origin", "已确认": "confirmed",
}
EXPECTED_COLUMNS = "编号、问题(必填)、答案、依据、类型、无法回答、历史(或英文列名 id、question、answers、evidence、type、unanswerable、history)"
LIST_FIELDS = ("answers", "evidence", "history")


@dataclass(frozen=True)
class EvalItem:
    id: str
    question: str
    answers: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    history: tuple[str, ...] = ()
    type: str = "other"
    unanswerable: bool = False
    lang: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    line: int = 0  # the line (JSONL) or row (CSV / XLSX, the header is row 1) of the file it was read from


@dataclass(frozen=True)
class BadRow:
    file: str
    line: int
    reason: str


def _truthy(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    return str(v).strip().lower() in ("1", "true", "yes", "y", "是", "对", "√", "x")


def _listish(v: Any) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, (list, tuple)):
        return tuple(str(x) for x in v if str(x).strip())
    return tuple(s.strip() for s in str(v).split("|") if s.strip())


def item_from_dict(d: dict[str, Any], default_id: str) -> EvalItem:
    """Build an item from a row; raises ValueError naming the problem. Unknown fields are kept in `extra`."""
    d = {COLUMNS.get(str(k).strip(), str(k).strip()): v for k, v in d.items() if k is not None}
    q = d.get("question")
    if q is None:
        raise ValueError(f"没有“问题”(question)。应有的列:{EXPECTED_COLUMNS}")
    if not isinstance(q, str) or not q.strip():
        raise ValueError("“问题”是空的")
    if "confirmed" in d and not _truthy(d.get("confirmed") or False):
        # rows exported from staff feedback: never scored before someone has checked them
        raise ValueError("来自反馈、尚未确认的题,已跳过(请先在评测页确认)")
    known = {"id", "question", "answers", "evidence", "history", "type", "unanswerable", "lang"}
    return EvalItem(
        id=str(d.get("id") or default_id).strip(), question=q.strip(),
        answers=_listish(d.get("answers")), evidence=_listish(d.get("evidence")),
        history=_listish(d.get("history")), type=str(d.get("type") or "other").strip() or "other",
        unanswerable=_truthy(d.get("unanswerable") or False), lang=str(d.get("lang") or "").strip(),
        extra={k: v for k, v in d.items() if k not in known},
    )


def parse_jsonl(text: str, name: str) -> tuple[list[EvalItem], list[BadRow]]:
    items, bad = [], []
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            if not isinstance(d, dict):
                raise ValueError("这一行不是 JSON 对象({...})")
            items.append(replace(item_from_dict(d, f"{Path(name).stem}-{i}"), line=i))
        except json.JSONDecodeError as e:
            bad.append(BadRow(name, i, f"不是有效的 JSON:{e.msg}(第 {e.colno} 个字符)"))
        except ValueError as e:
            bad.append(BadRow(name, i, f"{e}"))
    return items, bad


def parse_rows(rows: Iterable[dict[str, Any]], name: str, first_line: int = 2) -> tuple[list[EvalItem], list[BadRow]]:
    items, bad = [], []
    for i, row in enumerate(rows, first_line):
        if not any(str(v or "").strip() for v in row.values()):
            continue
        try:
            items.append(replace(item_from_dict(row, f"{Path(name).stem}-{i}"), line=i))
        except ValueError as e:
            bad.append(BadRow(name, i, str(e)))
    return items, bad


def header_problem(head: list[str], name: str) -> BadRow | None:
    """A table without a 问题 / question column: one message naming the expected and the found columns (row 1).

    Example: header_problem(["题目", "答案"], "a.xlsx") -> BadRow("a.xlsx", 1, "缺少“问题”列……文件中的列:题目、答案").
    """
    fields_ = {COLUMNS.get(h.strip(), h.strip()) for h in head if h}
    if "question" in fields_:
        return None
    found = "、".join(h for h in head if h) or "(没有列名)"
    return BadRow(name, 1, f"缺少“问题”列。第 1 行应是列名:{EXPECTED_COLUMNS}。文件中的列:{found}")


def read_set(path: str | Path) -> tuple[list[EvalItem], list[BadRow]]:
    """Read a JSONL, CSV or XLSX question set. A file that cannot be read at all gives one BadRow (line 0)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        return [], [BadRow(str(p), 0, f"无法读取文件:{e.strerror}")]
    suffix = p.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook
            ws = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            rows = list(ws.iter_rows(values_only=True))
            if not rows:
                return [], []
            head = [str(h or "").strip() for h in rows[0]]
            if (problem := header_problem(head, str(p))) is not None:
                return [], [problem]
            return parse_rows(({h: v for h, v in zip(head, r)} for r in rows[1:]), str(p))
        from .ingest.clean import decode
        text = decode(data, p.name)
        if suffix == ".csv":
            reader = csv.DictReader(io.StringIO(text))
            if (problem := header_problem(list(reader.fieldnames or []), str(p))) is not None:
                return [], [problem]
            return parse_rows(reader, str(p))
        return parse_jsonl(text, str(p))
    except Exception as e:  # noqa: BLE001 - a broken file is reported, not fatal
        return [], [BadRow(str(p), 0, f"无法读取这个{suffix or ''}文件(请用 JSONL、CSV 或 XLSX):{e}")]


# ------------------------------------------------------------------ scoring

def contains_any(text: str, needles: Iterable[str]) -> bool:
    """Example: contains_any("共 24.93万户", ["24.93 万户"]) -> True (NFKC, whitespace removed)."""
    t = squash(text)
    return any(squash(n) and squash(n) in t for n in needles)


@dataclass(frozen=True)
class ItemResult:
    id: str
    type: str
    lang: str
    question: str
    unanswerable: bool
    retriever: str
    evidence_rank: int | None  # 1-based rank of the first passage containing an evidence string (top 10)
    answer_correct: bool | None  # None when the item has no expected answers
    citation_correct: bool | None  # None when not answered or no evidence given
    abstained: bool
    latency_ms: float
    answer: str
    top_passage: str
    has_evidence: bool = False
    error: str = ""
    short_answer: str = ""  # the answer's short answer ("" when none was given)
    short_correct: bool | None = None  # None when no short answer was given or no answers are expected
    cited: str = ""  # what the answer cited first, as 《title》section:“quote” ("" when it cited nothing)

    @property
    def short_wrong(self) -> bool:
        """The critical error: an answerable question given a short answer that contains none of the expected
        answers, or an unanswerable question given any short answer."""
        if not self.short_answer:
            return False
        return self.unanswerable or self.short_correct is False

    @property
    def failed(self) -> bool:
        if self.error:
            return True
        if self.unanswerable:
            return not self.abstained or self.short_wrong
        return (self.short_wrong or self.abstained or self.answer_correct is False or self.citation_correct is False
                or (self.has_evidence and (self.evidence_rank or 99) > 1))


def score_item(item: EvalItem, ans: dict[str, Any], latency_ms: float, retriever: str,
               notices_text: dict) -> ItemResult:
    passages = ans.get("passages") or []
    rank = None
    if item.evidence:
        for p in passages[:10]:
            if contains_any(p["text"], item.evidence):
                rank = p["rank"]
                break
    abstained = bool(ans.get("abstained"))
    correct = None
    if item.answers and not item.unanswerable:
        correct = (not abstained) and contains_any(ans.get("text", ""), item.answers)
    cite_ok = None
    cits = ans.get("citations") or []
    if not abstained and not item.unanswerable and item.evidence:
        verbatim = all(notices_text.get((c["notice_id"], "raw") if c.get("origin") == "raw" else c["notice_id"], "")
                       [c["start"]:c["end"]] == c["quote"] for c in cits)
        cite_ok = bool(cits) and verbatim and any(contains_any(c["quote"], item.evidence) for c in cits)
    short = (ans.get("short_answer") or "").strip()
    short_ok = None
    if short and item.answers and not item.unanswerable:
        short_ok = contains_any(short, item.answers)
    return ItemResult(item.id, item.type, item.lang or ("en" if item.question.isascii() else "zh"), item.question,
                      item.unanswerable, retriever, rank, correct, cite_ok, abstained, round(latency_ms, 1),
                      ans.get("text", ""), passages[0]["text"] if passages else "", bool(item.evidence),
                      short_answer=short, short_correct=short_ok)


def _rate(xs: list[bool]) -> float | None:
    return round(sum(xs) / len(xs), 4) if xs else None


def _pct(xs: list[float], q: float) -> float | None:
    if not xs:
        return None
    s = sorted(xs)
    return round(s[min(len(s) - 1, int(round(q * (len(s) - 1))))], 1)


FACTUAL_TYPES = ("number", "date", "fact")


def aggregate(results: list[ItemResult]) -> dict[str, Any]:
    """Metrics over results. hit@k / MRR@10 count answerable items that have evidence strings; answer accuracy
    counts answerable items with expected answers; citation precision counts answered items with evidence."""
    answerable = [r for r in results if not r.unanswerable]
    with_ev = [r for r in answerable if r.has_evidence]
    with_ans = [r for r in answerable if r.answer_correct is not None]
    cited = [r for r in answerable if r.citation_correct is not None]
    unans = [r for r in results if r.unanswerable]
    lat = [r.latency_ms for r in results if not r.error]
    wrong = sum(1 for r in results if r.short_wrong)
    given = [r for r in answerable if r.short_answer and r.short_correct is not None]
    return {
        "n": len(results),
        "wrong_short": wrong,
        "wrong_short_rate": round(wrong / len(results), 4) if results else None,
        "short_coverage": _rate([bool(r.short_answer) for r in answerable]),
        # the coverage target counts number, date and fact questions
        "short_coverage_factual": _rate([bool(r.short_answer) for r in answerable if r.type in FACTUAL_TYPES]),
        "short_accuracy": _rate([bool(r.short_correct) for r in with_ans]),
        "short_precision": _rate([bool(r.short_correct) for r in given]),
        "hit@1": _rate([r.evidence_rank == 1 for r in with_ev]),
        "hit@5": _rate([r.evidence_rank is not None and r.evidence_rank <= 5 for r in with_ev]),
        "mrr@10": round(sum(1 / r.evidence_rank for r in with_ev if r.evidence_rank) / len(with_ev), 4)
        if with_ev else None,
        "answer_accuracy": _rate([bool(r.answer_correct) for r in with_ans]),
        "citation_precision": _rate([bool(r.citation_correct) for r in cited]),
        "abstention_accuracy": _rate([r.abstained for r in unans]),
        "false_abstention": _rate([r.abstained for r in answerable]),
        "p50_ms": _pct(lat, 0.5),
        "p95_ms": _pct(lat, 0.95),
        "errors": sum(1 for r in results if r.error),
    }


def aggregate_by_type(results: list[ItemResult]) -> dict[str, dict[str, Any]]:
    out = {"overall": aggregate(results)}
    for t in sorted({r.type for r in results}):
        out[t] = aggregate([r for r in results if r.type == t])
    return out


# ------------------------------------------------------------------ running

def cited_text(ans: dict[str, Any]) -> str:
    """Example: {"citations": [{"title": "甲", "section": "一、总体", "quote": "搬迁24.93万户。"}]} ->
    "《甲》一、总体:“搬迁24.93万户。”"."""
    c = next(iter(ans.get("citations") or ()), None)
    return f"《{c.get('title', '')}》{c.get('section', '')}:“{c.get('quote', '')}”" if c else ""


def run_eval(assistant, items: list[EvalItem], top_k: int = 5, retriever: str = "hybrid",
             progress: Callable[[int, int], None] | None = None) -> list[ItemResult]:
    """Ask every item; a question the assistant rejects is recorded as an error, not raised."""
    from .errors import AssistantError
    notices_text: dict = {nid: n.text for nid, n in assistant.data.notices.items()}
    notices_text.update({(nid, "raw"): n.raw_text for nid, n in assistant.data.notices.items()})  # metadata answers
    out = []
    for i, item in enumerate(items):
        t = time.perf_counter()
        try:
            ans = assistant.ask(item.question, history=list(item.history), top_k=max(top_k, 10),
                                retriever=retriever).to_dict()
            err = ""
        except AssistantError as e:
            ans, err = {"text": "", "abstained": True, "passages": [], "citations": []}, e.zh
        ms = (time.perf_counter() - t) * 1000
        r = score_item(item, ans, ms, retriever, notices_text)
        if err:
            r = ItemResult(**{**asdict(r), "error": err})
        r = replace(r, cited=cited_text(ans))
        out.append(r)
        if progress:
            progress(i + 1, len(items))
    return out


# ------------------------------------------------------------------ reports

METRICS = ("wrong_short", "short_coverage", "short_precision", "hit@1", "hit@5", "mrr@10", "answer_accuracy",
           "citation_precision", "abstention_accuracy",
           "false_abstention", "p50_ms", "p95_ms")


def summary_markdown(per_retriever: dict[str, dict[str, dict[str, Any]]], bad: list[BadRow]) -> str:
    lines = ["# 评测结果 / Evaluation summary", ""]
    lines.append("| retriever | n | " + " | ".join(METRICS) + " |")
    lines.append("|---" * (len(METRICS) + 2) + "|")
    for name, agg in per_retriever.items():
        o = agg["overall"]
        lines.append(f"| {name} | {o['n']} | " + " | ".join("—" if o[m] is None else str(o[m]) for m in METRICS) + " |")
    for name, agg in per_retriever.items():
        lines += ["", f"## {name}: by type", "", "| type | n | " + " | ".join(METRICS) + " |",
                  "|---" * (len(METRICS) + 2) + "|"]
        for t, o in agg.items():
            if t == "overall":
                continue
            lines.append(f"| {t} | {o['n']} | " + " | ".join("—" if o[m] is None else str(o[m]) for m in METRICS)
                         + " |")
    if bad:
        lines += ["", "## Skipped rows", ""] + [f"- {b.file}:{b.line}: {b.reason}" for b in bad]
    return "\n".join(lines) + "\n"


def failures_markdown(results: list[ItemResult]) -> str:
    """Per-question table: wrong short answers first, then other failures, then the rest."""
    rows = sorted(results, key=lambda r: (not r.short_wrong, not r.failed, r.id))
    out = ["| id | type | failed | question | short answer | evidence rank | answer ok | citation ok | abstained | ms "
           "| top passage |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]

    def cell(x: Any) -> str:
        return str(x).replace("|", "\\|").replace("\n", " ")[:120]
    for r in rows:
        out.append("| " + " | ".join(cell(x) for x in (
            r.id, r.type, "✗ 错误数字" if r.short_wrong else ("✗" if r.failed else ""), r.question,
            r.short_answer or "—", r.evidence_rank or "—", r.answer_correct,
            r.citation_correct, r.abstained, r.latency_ms, r.top_passage)) + " |")
    return "\n".join(out) + "\n"


def write_report(folder: str | Path, per_retriever_results: dict[str, list[ItemResult]], bad: list[BadRow]
                 ) -> dict[str, Path]:
    """summary.md, questions.md (failures first), results.jsonl, results.csv and PNG charts, written atomically."""
    import os
    import tempfile

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    aggs = {k: aggregate_by_type(v) for k, v in per_retriever_results.items()}
    files: dict[str, bytes] = {}
    files["summary.md"] = summary_markdown(aggs, bad).encode("utf-8")
    first = next(iter(per_retriever_results))
    files["questions.md"] = failures_markdown(per_retriever_results[first]).encode("utf-8")
    all_rows = [r for rs in per_retriever_results.values() for r in rs]
    files["results.jsonl"] = "".join(json.dumps({**asdict(r), "failed": r.failed, "short_wrong": r.short_wrong},
                                                ensure_ascii=False) + "\n"
                                     for r in all_rows).encode("utf-8")
    buf = io.StringIO()
    if all_rows:
        w = csv.DictWriter(buf, fieldnames=[*asdict(all_rows[0]).keys(), "failed", "short_wrong"])
        w.writeheader()
        for r in all_rows:
            w.writerow({**asdict(r), "failed": r.failed, "short_wrong": r.short_wrong})
    files["results.csv"] = ("\ufeff" + buf.getvalue()).encode("utf-8")

    def png(fig) -> bytes:
        b = io.BytesIO()
        fig.savefig(b, format="png", dpi=110, bbox_inches="tight")
        plt.close(fig)
        return b.getvalue()

    shown = ("hit@1", "hit@5", "answer_accuracy", "citation_precision")
    types = [t for t in aggs[first] if t != "overall"]
    fig, ax = plt.subplots(figsize=(max(6, len(types) * 1.2), 4))
    width = 0.8 / len(shown)
    for j, m in enumerate(shown):
        ax.bar([i + j * width for i in range(len(types))], [aggs[first][t][m] or 0 for t in types], width, label=m)
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(types))], types, rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_title(f"metrics by question type ({first})")
    ax.legend(fontsize=8)
    files["by_type.png"] = png(fig)
    if len(aggs) > 1:
        fig, ax = plt.subplots(figsize=(7, 4))
        names = list(aggs)
        for j, m in enumerate(shown):
            ax.bar([i + j * width for i in range(len(names))], [aggs[n]["overall"][m] or 0 for n in names], width,
                   label=m)
        ax.set_xticks([i + 0.4 - width / 2 for i in range(len(names))], names)
        ax.set_ylim(0, 1.05)
        ax.set_title("retriever comparison")
        ax.legend(fontsize=8)
        files["retrievers.png"] = png(fig)
    out = {}
    for name, data in files.items():
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, folder / name)
        out[name] = folder / name
    return out


def run_cli(args, cfg) -> int:
    """`python -m assistant eval FILE... [--top-k 5] [--retriever hybrid|bm25|dense] [--json] [--report DIR]`."""
    import sys

    from tqdm import tqdm

    from .pipeline import Assistant
    items, bad = [], []
    for f in args.files:
        it, b = read_set(f)
        items += it
        bad += b
    for b in bad:
        print(f"跳过 {b.file} 第 {b.line} 行:{b.reason}", file=sys.stderr)
    if not items:
        print("错误:评测集中没有可用的问题", file=sys.stderr)
        return 1
    a = Assistant.load(config=cfg, show_progress=sys.stderr.isatty())
    a.warm_up()  # as the app does before it serves: latency as users meet it, not the models' first load
    retrievers = args.retriever or ["hybrid"]
    per: dict[str, list[ItemResult]] = {}
    for r in retrievers:
        bar = tqdm(total=len(items), desc=f"评测 {r}", disable=not sys.stderr.isatty() and len(items) < 50,
                   file=sys.stderr)
        per[r] = run_eval(a, items, args.top_k, r, progress=lambda i, n, bar=bar: bar.update(1))
        bar.close()
    aggs = {r: aggregate_by_type(v) for r, v in per.items()}
    if args.report:
        write_report(args.report, per, bad)
    if args.json:
        out = aggs[retrievers[0]]["overall"] if len(retrievers) == 1 else {r: a_["overall"] for r, a_ in aggs.items()}
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(summary_markdown(aggs, bad))
    return 0
