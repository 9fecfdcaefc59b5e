"""The 评测 tab: upload a JSONL / CSV / XLSX question set, run it with a progress bar, read the summary and
failures, download the results."""
from __future__ import annotations

import tempfile
from pathlib import Path

from ..evaluate import (
    aggregate_by_type,
    failures_markdown,
    read_set,
    run_eval,
    summary_markdown,
    write_report,
)


def eval_tab(assistant) -> None:
    import gradio as gr

    def run(file, retriever, progress=gr.Progress()):
        if file is None:
            return "请先上传评测集文件(JSONL、CSV 或 XLSX)。", "", None, None
        path = file if isinstance(file, str) else getattr(file, "name", str(file))
        items, bad = read_set(path)
        if not items:
            reasons = "; ".join(f"第 {b.line} 行:{b.reason}" for b in bad[:5])
            return f"文件中没有可用的问题。{reasons}", "", None, None
        progress(0, desc="开始评测")
        results = run_eval(assistant, items, 5, retriever,
                           progress=lambda i, n: progress(i / n, desc=f"已完成 {i}/{n}"))
        out = Path(tempfile.mkdtemp(prefix="eval-"))
        files = write_report(out, {retriever: results}, bad)
        summary = summary_markdown({retriever: aggregate_by_type(results)}, bad)
        fails = [r for r in results if r.failed]
        return summary, failures_markdown(fails) if fails else "全部通过。", str(files["results.csv"]), \
            str(files["results.jsonl"])

    gr.Markdown("上传评测集(JSONL,或列名为 编号/问题/答案/依据/类型/无法回答 的 CSV/XLSX),一次检查整套问题。")
    with gr.Row():
        f = gr.File(label="评测集", file_types=[".jsonl", ".json", ".csv", ".xlsx"])
        retr = gr.Radio(["hybrid", "bm25", "dense"], value="hybrid", label="检索方式")
    go = gr.Button("运行评测", variant="primary")
    summary = gr.Markdown()
    failures = gr.Markdown()
    with gr.Row():
        csv_out = gr.File(label="下载结果 CSV")
        jsonl_out = gr.File(label="下载结果 JSONL")
    go.click(run, [f, retr], [summary, failures, csv_out, jsonl_out], api_visibility="private")
