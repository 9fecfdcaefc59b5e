"""The 评测 tab's words and files for staff who are not engineers: metrics with Chinese names and a one-line
explanation (错误数字 first), failures as question / expected answer / what the assistant said / the source it
cited, row numbers as in the uploaded file, an XLSX template and an XLSX report. Pure (bytes out).
"""
from __future__ import annotations

import html
import io
from dataclasses import dataclass
from typing import Any

from ..evaluate import BadRow, EvalItem, ItemResult

# (key in evaluate.aggregate(), name, one-line explanation, format); the first is the critical error
METRICS_ZH: tuple[tuple[str, str, str, str], ...] = (
    ("wrong_short", "错误数字", "加粗给出的简答与参考答案不符的题数(包括通报里没有答案、却给了简答的题)。"
                              "这是最严重的错误,应为 0。", "count"),
    ("answer_accuracy", "答案准确率", "回答中含有参考答案的题所占的比例。", "pct"),
    ("citation_precision", "引用准确率", "引用的原文含有依据、且与通报原文一字不差的比例。", "pct"),
    ("abstention_accuracy", "拒答正确率", "通报里没有答案的题,助手如实说“没有找到”的比例。", "pct"),
    ("false_abstention", "误拒率", "通报里有答案,助手却说“没有找到”的比例,越低越好。", "pct"),
    ("hit@1", "命中率@1", "检索到的第一个原文段落就含有依据的比例。", "pct"),
    ("hit@5", "命中率@5", "检索到的前五个原文段落中有含依据段落的比例。", "pct"),
    ("short_coverage", "简答覆盖率", "有答案的题中,给出了加粗简答的比例。", "pct"),
    ("short_precision", "简答准确率", "给出的加粗简答中,正确的比例。", "pct"),
    ("p50_ms", "用时(中位数)", "一半的问题在这个时间内答完。", "ms"),
    ("p95_ms", "用时(95%)", "95% 的问题在这个时间内答完。", "ms"),
)
TYPES_ZH = {"number": "数字", "date": "日期", "fact": "事实", "policy": "政策措施", "list": "列举", "english": "英文提问",
            "colloquial": "口语提问", "followup": "追问", "unanswerable": "无答案", "feedback": "来自反馈",
            "other": "其他", "overall": "全部"}
TEMPLATE_COLUMNS = (
    ("编号", "每题一个编号,可不填(不填时用行号)。"),
    ("问题", "必填。像日常那样提问。"),
    ("答案", "参考答案:回答里应当出现的文字,如 24.93万户。几个都算对时用 | 隔开。"),
    ("依据", "通报原文里能证明答案的一句话(逐字复制)。几句用 | 隔开。可不填。"),
    ("类型", "可不填。如 number(数字)、date(日期)、policy(政策措施)、list(列举)、followup(追问)。"),
    ("无法回答", "通报里没有答案、助手应当说“没有找到”的题填“是”,其他留空。"),
    ("历史", "追问时,前面问过的问题,用 | 隔开。"),
)
TEMPLATE_EXAMPLES = (
    ("q1", "陕西省“十三五”易地扶贫搬迁共搬迁了多少户?", "24.93万户", "", "number", "", ""),
    ("q2", "北京市易地扶贫搬迁了多少户?", "", "", "number", "是", ""),
)


def fmt(value: Any, kind: str) -> str:
    """Example: fmt(0.9312, "pct") -> "93.1%"; fmt(None, "pct") -> "—"; fmt(1532.0, "ms") -> "1.53 秒"."""
    if value is None:
        return "—"
    if kind == "pct":
        return f"{value * 100:.1f}%"
    if kind == "ms":
        return f"{value:.0f} 毫秒" if value < 1000 else f"{value / 1000:.2f} 秒"
    return str(value)


def metrics_html(overall: dict[str, Any]) -> str:
    rows = []
    for key, name, why, kind in METRICS_ZH:
        value = overall.get(key)
        cls = " class='critical ok'" if key == "wrong_short" and value == 0 else \
            " class='critical'" if key == "wrong_short" else ""
        missing = "(这一版本的评测程序未统计)" if key not in overall else ""
        rows.append(f"<tr{cls}><th>{name}</th><td class='val'>{fmt(value, kind)}</td>"
                    f"<td class='why'>{html.escape(why)}{missing}</td></tr>")
    return (f"<table class='metric-table' id='metrics'><tr><th>指标</th><th>结果</th><th>含义</th></tr>"
            f"{''.join(rows)}</table><p class='why'>共 {overall.get('n', 0)} 题。</p>")


def by_type_html(agg: dict[str, dict[str, Any]]) -> str:
    keys = [m for m in METRICS_ZH if m[0] in ("wrong_short", "answer_accuracy", "citation_precision", "hit@1")]
    head = "".join(f"<th>{name}</th>" for _, name, _, _ in keys)
    rows = "".join(
        f"<tr><td>{html.escape(TYPES_ZH.get(t, t))}</td><td>{o['n']}</td>"
        + "".join(f"<td>{fmt(o.get(k), kind)}</td>" for k, _, _, kind in keys) + "</tr>"
        for t, o in agg.items() if t != "overall")
    return f"<table class='fail-table'><tr><th>类型</th><th>题数</th>{head}</tr>{rows}</table>"


@dataclass(frozen=True)
class Failure:
    line: int  # the row of the file the question came from
    item: EvalItem
    result: ItemResult
    reasons: tuple[str, ...]
    critical: bool  # a wrong short answer (错误数字)


def reasons_of(r: ItemResult) -> tuple[tuple[str, ...], bool]:
    """Why a question failed, in words, and whether it is a wrong short answer."""
    out = []
    critical = bool(getattr(r, "short_wrong", False))
    if r.error:
        out.append(f"出错:{r.error}")
    if critical:
        out.append("错误数字:简答与参考答案不符" if not r.unanswerable else "错误数字:没有答案的题给了简答")
    if r.unanswerable and not r.abstained:
        out.append("通报里没有答案,助手却作答了")
    if not r.unanswerable and r.abstained and not r.error:
        out.append("通报里有答案,助手却说没有找到")
    if r.answer_correct is False and not r.abstained:
        out.append("回答中没有参考答案")
    if r.citation_correct is False:
        out.append("引用的原文不含依据")
    if r.has_evidence and (r.evidence_rank or 99) > 1 and not r.unanswerable:
        out.append("依据没有排在检索结果第一位" if r.evidence_rank else "前十个段落中没有依据")
    return tuple(out), critical


def failures(items: list[EvalItem], results: list[ItemResult]) -> list[Failure]:
    """Failed questions, wrong short answers first, then in file order (run_eval keeps the items' order)."""
    out = []
    for item, r in zip(items, results):
        if r.failed:
            reasons, critical = reasons_of(r)
            out.append(Failure(item.line, item, r, reasons, critical))
    return sorted(out, key=lambda f: (not f.critical, f.line))


def expected_text(item: EvalItem) -> str:
    if item.unanswerable:
        return "(通报里没有答案,应说没有找到)"
    return " | ".join(item.answers) or "(未填答案)"


def source_text(r: ItemResult) -> str:
    return r.cited or "(未引用)"


def failures_html(fails: list[Failure], shown: int = 200) -> str:
    if not fails:
        return "<p class='eval-msg'>全部通过。</p>"
    esc = html.escape
    rows = "".join(
        f"<tr{' class=critical' if f.critical else ''}><td>{f.line}</td><td>{esc(f.item.question)}</td>"
        f"<td>{esc(expected_text(f.item))}</td><td>{esc(f.result.answer[:300])}</td>"
        f"<td>{esc(source_text(f.result)[:300])}</td><td>{esc(';'.join(f.reasons))}</td></tr>"
        for f in fails[:shown])
    more = f"<p>另有 {len(fails) - shown} 题未列出,见 XLSX 报告。</p>" if len(fails) > shown else ""
    return (f"<p class='eval-msg'>未通过 {len(fails)} 题(错误数字在前;行号是上传文件中的行号):</p>"
            "<table class='fail-table' id='failures'><tr><th>行号</th><th>问题</th><th>参考答案</th><th>助手的回答</th>"
            f"<th>引用的原文</th><th>问题所在</th></tr>{rows}</table>{more}")


def bad_rows_html(bad: list[BadRow]) -> str:
    if not bad:
        return ""
    items = "".join(f"<li>{'第 %d 行:' % b.line if b.line else ''}{html.escape(b.reason)}</li>" for b in bad[:20])
    more = f"<li>……另有 {len(bad) - 20} 行</li>" if len(bad) > 20 else ""
    return f"<div class='eval-msg bad' role='alert'>跳过了 {len(bad)} 行:<ul>{items}{more}</ul></div>"


def template_xlsx() -> bytes:
    """The question-set template: the columns evaluation reads, two example rows, and a sheet explaining them."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    wb = Workbook()
    ws = wb.active
    ws.title = "评测题"
    ws.append([c for c, _ in TEMPLATE_COLUMNS])
    for row in TEMPLATE_EXAMPLES:
        ws.append(list(row))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for col, width in zip("ABCDEFG", (8, 46, 18, 40, 12, 10, 40)):
        ws.column_dimensions[col].width = width
    help_ = wb.create_sheet("填写说明")
    help_.append(["列", "怎么填"])
    for c, why in TEMPLATE_COLUMNS:
        help_.append([c, why])
    help_.append(["", "第一行是列名,请不要改动;从第二行起每行一题。示例行可以删除。"])
    help_.column_dimensions["A"].width = 10
    help_.column_dimensions["B"].width = 90
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def report_xlsx(items: list[EvalItem], results: list[ItemResult], agg: dict[str, dict[str, Any]],
                bad: list[BadRow], retriever: str) -> bytes:
    """The evaluation report: 汇总 (metrics with their explanations, by type), 逐题 (every question with its row
    number, expected answer, the answer, the source and why it failed), 跳过的行."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append(["指标", "结果", "含义"])
    overall = agg["overall"]
    for key, name, why, kind in METRICS_ZH:
        ws.append([name, fmt(overall.get(key), kind), why])
    ws.append([])
    ws.append(["检索方式", retriever])
    ws.append(["题数", overall.get("n", 0)])
    ws.append([])
    ws.append(["类型", "题数"] + [name for _, name, _, _ in METRICS_ZH[:4]])
    for t, o in agg.items():
        if t != "overall":
            ws.append([TYPES_ZH.get(t, t), o["n"]] + [fmt(o.get(k), kind) for k, _, _, kind in METRICS_ZH[:4]])
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["C"].width = 80
    rows = wb.create_sheet("逐题")
    rows.append(["行号", "编号", "类型", "问题", "参考答案", "助手的回答", "简答", "引用的原文", "通过", "问题所在",
                 "用时(毫秒)"])
    red = PatternFill("solid", fgColor="FFEBE9")
    for item, r in sorted(zip(items, results), key=lambda x: (not getattr(x[1], "short_wrong", False),
                                                               not x[1].failed, x[0].line)):
        reasons, critical = reasons_of(r) if r.failed else ((), False)
        rows.append([item.line, item.id, TYPES_ZH.get(item.type, item.type), item.question, expected_text(item),
                     r.answer, getattr(r, "short_answer", ""), source_text(r), "否" if r.failed else "是",
                     ";".join(reasons), r.latency_ms])
        if critical:
            for cell in rows[rows.max_row]:
                cell.fill = red
    for cell in rows[1]:
        cell.font = Font(bold=True)
    for col, width in zip("ABCDEFGHIJK", (6, 12, 10, 40, 20, 60, 14, 60, 6, 30, 10)):
        rows.column_dimensions[col].width = width
    skipped = wb.create_sheet("跳过的行")
    skipped.append(["行号", "原因"])
    for b in bad:
        skipped.append([b.line, b.reason])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
