"""The 通报 tab's library controls: 添加通报 (upload several files, see each one's metadata and ingest report,
index them with a progress bar) and 删除 (move a notice's original to the trash); and, under each notice, its
ingest report, where each metadata field came from, and a link to the original (at the cited page of a PDF).

Adding and removing need a login when the server listens on more than this machine. This module only calls the
library (Assistant.add_files / remove_notice).
"""
# no `from __future__ import annotations`: Gradio reads the handlers' gr.EventData / gr.Request hints at run time

import html
import logging
from pathlib import Path
from urllib.parse import quote

from ..errors import AssistantError
from ..types import FileReport, Notice

log = logging.getLogger(__name__)

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
FILE_TYPES = [".txt", ".html", ".htm", ".docx", ".pdf", ".png", ".jpg", ".jpeg"]
_FIELDS = (("title", "标题"), ("issuer", "发文机关"), ("date", "日期"), ("doc_number", "文号"), ("source", "来源"),
           ("pub_date", "发布日期"))
_KINDS = {"header": "页首信息行", "title-line": "标题行", "signature": "落款", "doc-number-line": "文号行",
          "red-header": "红头", "date-line": "日期行", "document-property": "文件属性", "derived": "推断(原文未写明)"}
_STATUS = {"ok": "已收录", "duplicate": "与已收录的通报正文相同,未重复收录", "error": "未收录", "skipped": "未读取"}


def can_edit(host: str, auth: object) -> bool:
    """Adding and removing are allowed on a local-only server, or with a login.

    Example: can_edit("0.0.0.0", None) -> False; can_edit("127.0.0.1", None) -> True.
    """
    return bool(auth) or host in LOCAL_HOSTS


def original_url(corpus_dir: Path, n: Notice, page: int | None = None) -> str:
    """Where the browser opens a notice's original (served from the corpus folder), at a page of a PDF."""
    path = (Path(corpus_dir) / n.path).resolve()
    url = f"/gradio_api/file={quote(str(path))}"
    return url + (f"#page={page}" if page and n.reader.startswith("pdf") else "")


def report_html(r: FileReport | None) -> str:
    if r is None:
        return ""
    rows = [f"<div>读取方式:{html.escape(r.reader or '—')} · 读入 {r.chars_read} 字 · 保留 {r.chars_kept} 字</div>"]
    for w in r.warnings:
        rows.append(f"<div class='warn'>⚠ {html.escape(w)}</div>")
    if r.dropped:
        items = "".join(f"<li>{('第 %d 行' % d.line_no) if d.line_no else ''} {html.escape(d.reason)}:"
                        f"<code>{html.escape(d.text[:120])}</code></li>" for d in r.dropped[:50])
        more = f"<li>…另有 {len(r.dropped) - 50} 行</li>" if len(r.dropped) > 50 else ""
        rows.append(f"<details><summary>删去的行({len(r.dropped)})</summary><ul>{items}{more}</ul></details>")
    return "<div class='ingest-report'>" + "".join(rows) + "</div>"


def provenance_html(n: Notice) -> str:
    rows = []
    for key, label in _FIELDS:
        src = n.provenance.get(key)
        if src is None:
            continue
        where = _KINDS.get(src.kind, src.kind)
        if src.line_no:
            where += f",第 {src.line_no} 行" + (f"(第 {src.page} 页)" if src.page else "")
        line = f"<code>{html.escape(src.line[:160])}</code>" if src.line else ""
        rows.append(f"<tr><th>{label}</th><td>{html.escape(src.value)}</td><td>{html.escape(where)}</td>"
                    f"<td>{line}</td></tr>")
    if not rows:
        return ""
    return ("<details><summary>元数据出处</summary><table class='details'><tr><th>字段</th><th>值</th><th>出处</th>"
            f"<th>原文</th></tr>{''.join(rows)}</table></details>")


def notice_extras_html(corpus_dir: Path, n: Notice, report: FileReport | None, page: int | None = None) -> str:
    """Under a notice: a link to its original, its ingest report and where its metadata came from."""
    label = f"打开原件(第 {page} 页)" if page and n.reader.startswith("pdf") else "打开原件"
    link = f"<a href='{html.escape(original_url(corpus_dir, n, page))}' target='_blank' class='original'>{label}</a>"
    return f"<div class='notice-extras'>{link}{report_html(report)}{provenance_html(n)}</div>"


def reports_table(reports: list[FileReport], notices: dict[str, Notice]) -> str:
    """One row per uploaded file: status, extracted title / issuer / date / 文号, and its ingest report."""
    rows = []
    for r in reports:
        n = notices.get(r.notice_id) if r.notice_id else None
        status = _STATUS.get(r.status, r.status)
        if r.status == "duplicate":
            status += f"({html.escape(r.duplicate_of)})"
        meta = (f"{html.escape(n.title)}<br><small>{html.escape(n.issuer or '发文机关未注明')} · "
                f"{html.escape(n.date or '日期未注明')} · {html.escape(n.doc_number or '无文号')}</small>") if n else \
            html.escape(r.error)
        rows.append(f"<tr class='upload-{r.status}'><td>{html.escape(r.path)}</td><td>{status}</td><td>{meta}</td>"
                    f"<td>{report_html(r) if r.status in ('ok', 'duplicate') else ''}</td></tr>")
    return ("<table class='details' id='upload-report'><tr><th>文件</th><th>结果</th><th>标题 / 发文机关 · 日期 · 文号"
            f"</th><th>读取报告</th></tr>{''.join(rows)}</table>")


def problems_html(reports: list[FileReport]) -> str:
    """Files of the corpus folder that are not indexed (or indexed once as a duplicate), with the reason."""
    bad = [r for r in reports if r.status != "ok"]
    if not bad:
        return ""
    items = "".join(f"<li>{html.escape(r.path)}:{html.escape(_STATUS.get(r.status, r.status))}"
                    f"{(':' + html.escape(r.error)) if r.error else ''}"
                    f"{('(' + html.escape(r.duplicate_of) + ')') if r.duplicate_of else ''}</li>" for r in bad)
    return f"<details id='not-indexed'><summary>通报目录中未收录的文件({len(bad)})</summary><ul>{items}</ul></details>"


def _user(request) -> str:
    return (getattr(request, "username", None) or "") if request is not None else ""


def library_panel(assistant, editable: bool, pick, sel_notices, notice_choices) -> None:
    """添加通报 and 删除 under the notice browser. `pick` / `sel_notices` are the dropdowns to refresh; their
    choices come from `notice_choices(assistant)`."""
    import gradio as gr

    a = assistant
    problems = gr.HTML(problems_html(a.data.reports), elem_id="problems")
    with gr.Accordion("添加通报 / 删除通报", open=False, elem_id="library"):
        if not editable:
            gr.Markdown("服务器对外开放且未设置登录,添加和删除通报已关闭。请用 `--auth-env` 或 `--auth-file` 启动。")
            return
        gr.Markdown("支持 " + " ".join(FILE_TYPES) + "(扫描件需安装 OCR 组件)。可一次选择多个文件;"
                    "只为新增的段落计算向量,添加后即可提问。")
        files = gr.File(file_count="multiple", file_types=FILE_TYPES, label="选择通报文件", elem_id="upload-files")
        add = gr.Button("添加通报", variant="primary", elem_id="add-btn")
        result = gr.HTML(elem_id="upload-result")
        with gr.Row():
            confirm = gr.Checkbox(False, label="确认删除上面选中的通报(原件移到回收站,可恢复)", elem_id="confirm-remove")
            remove = gr.Button("删除", variant="stop", elem_id="remove-btn")

    def do_add(paths, request: gr.Request, progress=gr.Progress()):
        if not paths:
            return "<p>请先选择文件。</p>", gr.update(), gr.update(), None, gr.update()
        items = []
        for p in paths:
            path = Path(p if isinstance(p, str) else getattr(p, "name", str(p)))
            try:
                items.append((path.name, path.read_bytes()))
            except OSError:
                items.append((path.name, b""))
        progress(0, desc="读取文件")
        try:
            reports = a.add_files(items, user=_user(request),
                                  progress=lambda i, n: progress(i / max(1, n), desc=f"向量化段落 {i}/{n}"))
        except AssistantError as e:
            return f"<p class='error'>{html.escape(e.zh)}</p>", gr.update(), gr.update(), None, gr.update()
        except Exception:  # noqa: BLE001 - the browser sees a sentence, never a traceback
            log.exception("adding notices failed")
            return "<p class='error'>添加失败,请联系管理员。</p>", gr.update(), gr.update(), None, gr.update()
        choices = notice_choices(a)
        new = next((r.notice_id for r in reports if r.status == "ok"), None)
        pick_update = gr.update(choices=choices, value=new) if new else gr.update(choices=choices)
        return (reports_table(reports, a.data.notices), pick_update, gr.update(choices=choices), None,
                problems_html(a.data.reports))

    def do_remove(nid, ok, request: gr.Request, progress=gr.Progress()):
        if not nid:
            return "<p>请先在上面选择一份通报。</p>", gr.update(), gr.update(), False, gr.update()
        if not ok:
            return "<p>请先勾选“确认删除”。</p>", gr.update(), gr.update(), False, gr.update()
        title = a.data.notices[nid].title if nid in a.data.notices else nid
        try:
            moved = a.remove_notice(nid, user=_user(request),
                                    progress=lambda i, n: progress(i / max(1, n), desc="重建索引"))
        except AssistantError as e:
            return f"<p class='error'>{html.escape(e.zh)}</p>", gr.update(), gr.update(), False, gr.update()
        choices = notice_choices(a)
        msg = f"<p>已删除《{html.escape(title)}》,原件({html.escape('、'.join(moved))})已移到回收站。</p>"
        return msg, gr.update(choices=choices, value=choices[0][1] if choices else None), \
            gr.update(choices=choices, value=[]), False, problems_html(a.data.reports)

    add.click(do_add, [files], [result, pick, sel_notices, files, problems], api_visibility="private")
    remove.click(do_remove, [pick, confirm], [result, pick, sel_notices, confirm, problems],
                 api_visibility="private")
