"""The 评测 tab, for staff who are not engineers: download the XLSX template, upload a question set (XLSX, CSV
or JSONL), run it with a progress bar, read the metrics in Chinese (错误数字 first) and the failed questions with
their row numbers, download an XLSX report. Below it, the answers staff marked 有用 / 有误 in the chat: confirm
them (optionally correcting the expected answer) to turn them into evaluation questions, or export them.
The retriever choice is an expert option. This module only calls the library.
"""
from __future__ import annotations

import html
import logging
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from ..errors import AssistantError
from ..evaluate import aggregate_by_type, item_from_dict, read_set, run_eval, write_report
from ..feedback import VERDICTS, FeedbackStore, eval_row, eval_rows_jsonl, eval_rows_xlsx, expected_answer
from .eval_report import bad_rows_html, by_type_html, failures, failures_html, metrics_html, report_xlsx, template_xlsx

log = logging.getLogger(__name__)
INTRO = (
    "**怎么用**:① 下载模板,每行写一个问题和参考答案(也可以用 CSV 或 JSONL);② 上传;③ 点“运行评测”。"
    "结果里**错误数字**最重要:它数的是助手加粗给出、却与参考答案不符的简答,应当为 0。"
)
FEEDBACK_INTRO = (
    "同事在问答页点的“有用 / 有误”会记在这里。**未确认的题不会用于评测**(以免拿助手自己的回答给自己打分):"
    "请核对“参考答案”(可直接修改;“有误”的题默认用同事写的正确答案,“有用”的题默认用加粗的简答),"
    "勾选后点“确认勾选的题”。导出的文件里每题都注明来源和是否已确认。"
)
FB_HEADERS = ["选择", "编号", "标记", "问题", "参考答案", "依据(引用的原文)", "助手的回答", "时间", "状态"]


def _path(file) -> str:
    return file if isinstance(file, str) else getattr(file, "name", str(file))


def feedback_rows(store: FeedbackStore | None) -> list[list]:
    if store is None:
        return []
    out = []
    for r in store.rows():
        row = eval_row(r)
        out.append([False, r.id, VERDICTS.get(r.verdict, r.verdict), r.question,
                    "(没有答案)" if row["unanswerable"] else expected_answer(r),
                    " | ".join(q[:80] for q in row["evidence"]), r.answer_text[:160], r.updated_at,
                    "已确认" if r.confirmed else "未确认"])
    return out


def eval_tab(assistant, store: FeedbackStore | None, tab=None) -> None:
    """Build the tab's contents inside the current Blocks; `tab` (the gr.Tab) refreshes the feedback table when
    it is opened."""
    import gradio as gr

    a = assistant
    work = Path(tempfile.mkdtemp(prefix="eval-"))
    template = work / "评测集模板.xlsx"
    template.write_bytes(template_xlsx())

    def no_files():
        return tuple(gr.update(value=None, visible=False) for _ in range(3))

    def run_items(items, bad, retriever, progress, name: str):
        progress(0, desc="开始评测")
        results = run_eval(a, items, 5, retriever, progress=lambda i, n: progress(i / n, desc=f"已完成 {i}/{n} 题"))
        agg = aggregate_by_type(results)
        out = Path(tempfile.mkdtemp(dir=work))
        files = write_report(out, {retriever: results}, bad)
        xlsx = out / f"评测报告-{name}-{time.strftime('%Y%m%d-%H%M')}.xlsx"
        xlsx.write_bytes(report_xlsx(items, results, agg, bad, retriever))
        msg = bad_rows_html(bad) + f"<p class='eval-msg'>已评测 {len(items)} 题(检索方式:{retriever})。</p>"
        return (msg, metrics_html(agg["overall"]) + by_type_html(agg), failures_html(failures(items, results)),
                *(gr.update(value=str(x), visible=True) for x in (xlsx, files["results.csv"], files["results.jsonl"])))

    def run(file, retriever, progress=gr.Progress()):
        if file is None:
            return ("<p class='eval-msg bad' role='alert'>请先上传评测集文件(XLSX、CSV 或 JSONL)。</p>", "", "",
                    *no_files())
        path = _path(file)
        items, bad = read_set(path)
        if not items:
            why = bad_rows_html(bad) if bad else ""
            return (f"<div class='eval-msg bad' role='alert'>文件中没有可以评测的题目。</div>{why}", "", "",
                    *no_files())
        return run_items(items, bad, retriever, progress, Path(path).stem)

    def run_confirmed(retriever, progress=gr.Progress()):
        rows = store.rows(confirmed=True) if store is not None else []
        if not rows:
            return ("<p class='eval-msg bad' role='alert'>还没有已确认的反馈题。</p>", "", "", *no_files())
        items = []
        for r in rows:
            items.append(replace(item_from_dict(eval_row(r), f"feedback-{r.id}"), line=r.id))
        return run_items(items, [], retriever, progress, "反馈题")

    gr.Markdown(INTRO)
    with gr.Row():
        gr.DownloadButton("下载 XLSX 模板", value=str(template), elem_id="eval-template", size="sm")
    f = gr.File(label="评测集(XLSX、CSV 或 JSONL)", file_types=[".xlsx", ".csv", ".jsonl", ".json"],
                elem_id="eval-file")
    with gr.Accordion("专家选项", open=False, elem_id="eval-expert"):
        retr = gr.Radio([("混合检索(默认)", "hybrid"), ("只用关键词(BM25)", "bm25"), ("只用向量", "dense")],
                        value="hybrid", label="检索方式", elem_id="eval-retriever")
    go = gr.Button("运行评测", variant="primary", elem_id="eval-run")
    msg = gr.HTML(elem_id="eval-msg", min_height=0, padding=False)
    metrics = gr.HTML(elem_id="eval-metrics", min_height=0, padding=False)
    fails = gr.HTML(elem_id="eval-failures", min_height=0, padding=False)
    with gr.Row():
        xlsx_out = gr.File(label="下载报告(XLSX)", elem_id="eval-xlsx", visible=False)
        csv_out = gr.File(label="逐题结果(CSV)", visible=False)
        jsonl_out = gr.File(label="逐题结果(JSONL)", visible=False)
    outs = [msg, metrics, fails, xlsx_out, csv_out, jsonl_out]
    go.click(run, [f, retr], outs, api_visibility="private")

    with gr.Accordion("来自日常使用的反馈(有用 / 有误)", open=True, elem_id="feedback-panel"):
        gr.Markdown(FEEDBACK_INTRO)
        table = gr.Dataframe(lambda: feedback_rows(store), headers=FB_HEADERS, type="array", interactive=True,
                             datatype=["bool", "number", "str", "str", "str", "str", "str", "str", "str"],
                             static_columns=[1, 2, 3, 5, 6, 7, 8], wrap=True, elem_id="feedback-table",
                             column_widths=["6%", "6%", "6%", "20%", "16%", "20%", "14%", "7%", "5%"])
        with gr.Row():
            refresh = gr.Button("刷新", size="sm", elem_id="fb-refresh")
            confirm = gr.Button("确认勾选的题", size="sm", variant="primary", elem_id="fb-confirm")
            discard = gr.Button("删除勾选的题", size="sm", variant="stop", elem_id="fb-discard")
            exp_jsonl = gr.Button("导出为 JSONL", size="sm", elem_id="fb-export-jsonl")
            exp_xlsx = gr.Button("导出为 XLSX", size="sm", elem_id="fb-export-xlsx")
            run_fb = gr.Button("用已确认的反馈题评测", size="sm", elem_id="fb-run")
        fb_msg = gr.HTML(elem_id="fb-msg")
        fb_file = gr.File(label="导出的评测题", elem_id="fb-file", visible=False)

    def checked(rows) -> dict[int, str]:
        out = {}
        for row in rows or []:
            if row and row[0] in (True, "true", "True", 1):
                try:
                    out[int(row[1])] = "" if str(row[4]).startswith("(没有答案)") else str(row[4] or "")
                except (TypeError, ValueError):
                    continue
        return out

    def do_confirm(rows):
        if store is None:
            return gr.update(), "<p class='eval-msg bad'>反馈功能不可用(数据目录无法写入)。</p>"
        picked = checked(rows)
        if not picked:
            return gr.update(), "<p class='eval-msg bad' role='alert'>请先在“选择”列勾选要确认的题。</p>"
        try:
            n = store.confirm(picked)
        except AssistantError as e:
            return gr.update(), f"<p class='eval-msg bad'>{html.escape(e.zh)}</p>"
        return feedback_rows(store), f"<p class='eval-msg'>已确认 {n} 题。</p>"

    def do_discard(rows):
        if store is None:
            return gr.update(), ""
        picked = checked(rows)
        if not picked:
            return gr.update(), "<p class='eval-msg bad' role='alert'>请先在“选择”列勾选要删除的题。</p>"
        n = store.discard(list(picked))
        return feedback_rows(store), f"<p class='eval-msg'>已删除 {n} 题。</p>"

    def do_export(kind: str):
        rows = store.rows() if store is not None else []
        if not rows:
            return gr.update(), "<p class='eval-msg bad' role='alert'>还没有反馈。</p>"
        out = Path(tempfile.mkdtemp(dir=work)) / f"反馈评测题-{time.strftime('%Y%m%d-%H%M')}.{kind}"
        if kind == "jsonl":
            out.write_text(eval_rows_jsonl(rows), encoding="utf-8")
        else:
            out.write_bytes(eval_rows_xlsx(rows))
        done = sum(r.confirmed for r in rows)
        msg = f"<p class='eval-msg'>已导出 {len(rows)} 题,其中已确认 {done} 题、未确认 {len(rows) - done} 题。</p>"
        return gr.update(value=str(out), visible=True), msg

    refresh.click(lambda: feedback_rows(store), None, table, api_visibility="private")
    if tab is not None:
        tab.select(lambda: feedback_rows(store), None, table, api_visibility="private")
    confirm.click(do_confirm, [table], [table, fb_msg], api_visibility="private")
    discard.click(do_discard, [table], [table, fb_msg], api_visibility="private")
    exp_jsonl.click(lambda: do_export("jsonl"), None, [fb_file, fb_msg], api_visibility="private")
    exp_xlsx.click(lambda: do_export("xlsx"), None, [fb_file, fb_msg], api_visibility="private")
    run_fb.click(run_confirmed, [retr], outs, api_visibility="private")
