"""The 问答 tab: the conversation (one object per browser session, kept in the browser), the scope chips, the
input, and what each answer offers (sources, 复制, 导出, 有用 / 有误). This module only calls the library.

The conversation is one gr.HTML; its buttons raise events with the turn's number (see CONVERSATION_JS), and the
handlers read the conversation from the browser state, so an answer's buttons work for as long as it is shown.
"""
# no `from __future__ import annotations`: Gradio reads the handlers' gr.EventData / gr.Request hints at run time

import logging
import tempfile
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from ..answer.base import Final, Shown
from ..errors import AssistantError
from ..feedback import FeedbackStore
from ..pipeline import Assistant
from ..question import analyse
from ..search.retrieve import Filters
from ..validate import ANSWER_FACTOR
from .chat_view import alert_html, chips_html, conversation_html, pending_html, streaming_body
from .conversation import Conversation
from .export import conversation_docx, conversation_markdown, export_name, turn_markdown
from .limits import Admission, client_of
from .render import CardContext, answer_body_html, esc
from .scope import coverage, filters_of, region_choices, summarise

log = logging.getLogger(__name__)

EXAMPLES = [
    "陕西省“十三五”易地扶贫搬迁共搬迁了多少户?",
    "各地怎么处理旧宅腾退拆除?",
    "红石桥乡社会扶贫网注册了多少爱心人士?",
    "How many households were relocated in Shaanxi?",
]
STREAM_STEP = 24  # characters per streamed update of a quoted answer
MODES = {"生成式回答": "llm", "原文摘录": "extractive"}  # the toggle's labels, shown only when an LLM is configured
EXPORT_KEEP_SECONDS = 600  # exported files are removed from the temporary folder after this

# The conversation's buttons: copy in the browser; the rest become events of the component with the turn number.
CONVERSATION_JS = r"""
const copyText = async (text) => {
  try { await navigator.clipboard.writeText(text); return true; } catch (e) {
    const ta = document.createElement('textarea'); ta.value = text; ta.setAttribute('readonly', '');
    ta.style.position = 'fixed'; ta.style.opacity = '0'; document.body.appendChild(ta); ta.select();
    let ok = false; try { ok = document.execCommand('copy'); } catch (_) {} ta.remove(); return ok;
  }
};
element.addEventListener('click', async (ev) => {
  const link = ev.target.closest('a.cite');
  if (link) {
    ev.preventDefault();
    const card = element.querySelector('#' + link.dataset.src);
    if (card) { card.scrollIntoView({block: 'center'}); card.classList.add('flash');
                setTimeout(() => card.classList.remove('flash'), 1600); }
    return;
  }
  const b = ev.target.closest('button[data-act]');
  if (!b) return;
  const turn = b.closest('.turn');
  const n = turn ? Number(turn.dataset.n) : 0;
  const act = b.dataset.act;
  if (act === 'copy') {
    const ok = await copyText(turn.querySelector('.clean-text').value);
    b.textContent = ok ? '已复制' : '复制失败,请手动选择文字';
    setTimeout(() => { b.textContent = '复制'; }, 1600);
  } else if (act === 'cite') {
    trigger('click', {n: n, cite: Number(b.dataset.n), related: b.dataset.rel === '1'});
  } else if (act === 'export') {
    trigger('download', {n: n, fmt: b.dataset.fmt});
  } else if (act === 'fb') {
    trigger('submit', {n: n, verdict: b.dataset.v});
  } else if (act === 'fb-comment') {
    trigger('submit', {n: n, verdict: '', comment: turn.querySelector('.fb-comment').value});
  }
});
// a new question, the answer while it streams in, and the final answer: its top in view. On a wide screen the
// conversation scrolls inside its own box (the page stays put); on a phone the page scrolls.
const toTop = (turn) => {
  const box = element.querySelector('.conv');
  if (box && box.scrollHeight > box.clientHeight + 2 && getComputedStyle(box).overflowY !== 'visible') {
    box.scrollTop = turn.offsetTop;  // .conv is positioned: offsets are inside it
  } else {
    turn.scrollIntoView({block: 'start'});
  }
};
let seen = element.querySelectorAll('.turn').length, wasPending = false;
watch('value', () => setTimeout(() => {
  const turns = element.querySelectorAll('.turn');
  const last = turns[turns.length - 1];
  const pending = !!last && last.classList.contains('pending');
  if (last && (turns.length > seen || pending || wasPending)) toTop(last);
  seen = turns.length;
  wasPending = pending;
}, 30));
"""
CHIPS_JS = """
element.addEventListener('click', (ev) => {
  const b = ev.target.closest('button[data-clear]');
  if (b) trigger('click', {clear: b.dataset.clear});
});
"""
# after an export: start the download of the file just made
DOWNLOAD_JS = "() => setTimeout(() => document.querySelector('#export-file a[download]')?.click(), 200)"
CLEAR_LOCAL_JS = ("() => { if (!confirm('清除这台电脑上保存的对话记录?(已提交的反馈不受影响)')) "
                  "throw new Error('cancelled'); }")


def mode_of(label: str | None) -> str | None:
    """The answer mode for a toggle label or a mode name; None (the default) when empty.
    Example: mode_of("原文摘录") -> "extractive"; mode_of("llm") -> "llm"; mode_of("") -> None."""
    if label is not None and not isinstance(label, str):
        return label  # the validation layer names it
    label = (label or "").strip()
    return MODES.get(label, label) or None


def error_text(e: Exception, where: str = "", client: str | None = None) -> str:
    """The sentence the user sees. Refused input is logged in one line, without a traceback and without the
    question (questions can be sensitive: they are never logged at the default level)."""
    if isinstance(e, AssistantError):
        log.warning("拒绝%s请求%s:%s(%s)", where, f"(来自 {client})" if client else "", type(e).__name__,
                    e.detail or e.zh)
        return e.zh
    log.exception("unexpected error in %s", where or "a request")
    return "抱歉,处理这个问题时出错了。请换个问法再试,或联系管理员。"


def bubble_updates(a: Assistant, message: str, history: list, filters: Filters, mode: str | None, key: str
                   ) -> Iterator[tuple[str, Any]]:
    """The answer's HTML as the answer is made, and the Answer at the end.

    A generated answer shows only sentences that have passed verification, with a typing indicator standing in
    for the sentence being written: no unchecked figure is ever on screen. A quoted answer streams its text."""
    shown: list[tuple[str, bool]] = []
    for ev in a.ask_stream(message, history=history, filters=filters, mode=mode):
        if isinstance(ev, Final):
            ans = ev.answer
            note = f"<p class='note'>{esc(ans.note)}</p>" if ans.note else ""
            if ans.mode == "extractive" and not shown:
                for i in range(STREAM_STEP, len(ans.text), STREAM_STEP):
                    yield "<p>" + esc(ans.text[:i]).replace("\n", "<br>") + "</p>", None
            yield note + answer_body_html(ans, key), ans
            return
        if isinstance(ev, Shown):
            shown.append((ev.sentence, ev.line_end))
        yield streaming_body(None, shown), None


def index_version(a: Assistant) -> str:
    """Example: "3f2a9c1d0b7e@2024-05-01T09:30:00" (corpus hash and build time of the index answered from)."""
    m = a.data.manifest
    return f"{m.corpus_hash[:12]}@{m.built_at}"


@dataclass
class ChatTab:
    """The components other tabs wire to."""

    conv_state: Any
    conversation: Any
    box: Any
    chips: Any
    sel_notices: Any
    region: Any
    date_from: Any
    date_to: Any
    back_turn: Any  # the turn to return to from the notice view
    details: Any
    render: Any  # (Conversation, details, tail) -> the conversation's HTML


def _exports_dir() -> Path:
    d = Path(tempfile.gettempdir()) / "notice-qa-exports"
    d.mkdir(exist_ok=True)
    now = time.time()
    for old in d.glob("*/*"):
        try:
            if now - old.stat().st_mtime > EXPORT_KEEP_SECONDS:
                old.unlink()
                old.parent.rmdir()
        except OSError:
            pass
    return Path(tempfile.mkdtemp(dir=d))


def chat_tab(demo, a: Assistant, store: FeedbackStore | None, secret: str, notice_choices, gate: Admission
             ) -> ChatTab:
    """Build the 问答 tab inside the current Blocks (`demo`) and wire its events; `gate` bounds the questions in
    flight per browser session, per address and in total."""
    import gradio as gr

    @lru_cache(maxsize=256)
    def terms(q: str):
        return a.tokenizer.query_tokens(q), analyse(q, a.gaz, common=a.tokenizer.common_word)

    def ctx(details: bool = False) -> CardContext:
        return CardContext(a.data.notices, a.section_text, terms, bool(details))

    def render(conv: Conversation, details=False, tail: str = "") -> str:
        return conversation_html(conv, ctx(details), coverage(a.notices()), tail)

    def chips(f: Filters | None, error: str = "") -> str:
        return chips_html(summarise(f, a.notices()) if f is not None else None, error)

    # ---------------------------------------------------------------- layout
    conv_state = gr.BrowserState(Conversation.new().to_json(), storage_key="notice-qa-conversation", secret=secret)
    with gr.Row(equal_height=False):
        with gr.Column(scale=4, min_width=320):
            conversation = gr.HTML(render(Conversation.new()), elem_id="conversation", js_on_load=CONVERSATION_JS,
                                   apply_default_css=False)
            chips_box = gr.HTML(chips(None), elem_id="filter-chips", js_on_load=CHIPS_JS, apply_default_css=False)
            box = gr.Textbox(label="输入问题", placeholder="输入问题,例如:陕西省搬迁了多少户?(回车发送)",
                             elem_id="question-box", max_lines=4, lines=1, autofocus=False, show_label=False)
            with gr.Row(elem_id="chat-buttons"):
                send = gr.Button("提问", variant="primary", elem_id="send-btn", scale=2, min_width=80)
                clear = gr.Button("清空", elem_id="clear-btn", scale=1, min_width=60)
                new = gr.Button("新对话", elem_id="new-btn", scale=1, min_width=60)
            gr.Examples(EXAMPLES, inputs=box, label="示例问题")
        with gr.Column(scale=2, min_width=260, elem_id="side"):
            with gr.Accordion("检索范围", open=False, elem_id="scope-panel"):
                sel_notices = gr.Dropdown(notice_choices(a), multiselect=True, label="通报", elem_id="scope-notices")
                region = gr.Dropdown(region_choices(a.notices()), value="", label="地区", allow_custom_value=True,
                                     elem_id="scope-region")
                date_from = gr.Textbox(label="起始日期", placeholder="如 2019-05-01", elem_id="date-from")
                date_to = gr.Textbox(label="截止日期", placeholder="如 2021-12-31", elem_id="date-to")
            mode_pick = gr.Radio(list(MODES), value=next(iter(MODES)), label="回答方式",
                                 visible=a.llm is not None, elem_id="mode-pick",
                                 info="生成式回答逐句核对原文,未通过核对的句子不显示;原文摘录只引用原句")
            details = gr.Checkbox(False, label="显示检索细节(排名、分数、简答依据)", elem_id="details-box")
            with gr.Column(elem_id="export-all"):
                gr.HTML("<div class='side-h'>导出整个对话(每个回答连同出处)</div>", apply_default_css=False)
                with gr.Row():
                    exp_docx = gr.Button("导出 Word", size="sm", elem_id="export-docx")
                    exp_md = gr.Button("导出 Markdown", size="sm", elem_id="export-md")
            export_file = gr.File(label="导出的文件", elem_id="export-file", visible=False, interactive=False)
            forget = gr.Button("清除本机记录", size="sm", variant="stop", elem_id="forget-btn")
    back_turn = gr.State(0)

    # ---------------------------------------------------------------- handlers
    def restore(value, show_details):
        conv = Conversation.from_json(value)
        f = conv.filters
        return (render(conv, show_details), conv.to_json(), chips(f), gr.update(value=list(f.notice_ids)),
                gr.update(value=f.region), f.date_from, f.date_to)

    def respond(message, value, sel, reg, dfrom, dto, show_details, mode_label, request: gr.Request = None):
        conv = Conversation.from_json(value)
        try:
            f = filters_of(sel, reg, dfrom, dto)
        except AssistantError as e:
            yield render(conv, show_details, alert_html(e.zh)), gr.update(), gr.update(), chips(None, e.zh)
            return
        conv = replace(conv, filters=f)
        summary = summarise(f, a.notices())
        if f.active and not summary.in_scope:
            msg = "检索范围内没有通报:" + "、".join(summary.parts) + "。请放宽检索范围后再问。"
            yield render(conv, show_details, alert_html(msg)), conv.to_json(), gr.update(), chips(f)
            return
        question = (message or "").strip()
        n = (conv.turns[-1].n if conv.turns else 0) + 1
        before = render(conv, show_details)
        head = before[: before.rindex("</div>")] if conv.turns else f"<div class='conv' data-conv='{esc(conv.id)}'>"
        mode = mode_of(mode_label) if a.llm is not None else None
        ans = None
        # the last turns the validation layer accepts, each earlier answer cut to what it accepts of one
        keep = ANSWER_FACTOR * a.cfg.max_question_chars
        history = [{**h, "text": h["text"][:keep]} for h in conv.history()][-a.cfg.max_history_turns:]
        session, address = client_of(request)
        try:
            with gate.slot(session, address):
                for body, final in bubble_updates(a, question, history, f, mode, f"t{n}"):
                    ans = final
                    if final is None:
                        yield head + pending_html(question, body) + "</div>", gr.update(), "", chips(f)
        except Exception as e:  # noqa: BLE001 - the browser sees a sentence, never a traceback
            yield (render(conv, show_details, alert_html(error_text(e, "提问", address))), conv.to_json(), message,
                   chips(f))
            return
        conv = conv.add(question, ans, time.strftime("%Y-%m-%d %H:%M"), summary.text, index_version(a))
        yield render(conv, show_details), conv.to_json(), "", chips(f)

    def clear_chat(value, show_details):
        """清空: a new conversation (no turns, no follow-up context) with the same scope."""
        conv = Conversation.new(Conversation.from_json(value).filters)
        return render(conv, show_details), conv.to_json()

    def new_chat(show_details):
        """新对话 and 清除本机记录: a new conversation with every notice in scope."""
        conv = Conversation.new()
        return render(conv, show_details), conv.to_json(), chips(None), gr.update(value=[]), gr.update(value=""), "", ""

    def set_scope(value, sel, reg, dfrom, dto):
        conv = Conversation.from_json(value)
        try:
            f = filters_of(sel, reg, dfrom, dto)
        except AssistantError as e:
            return gr.update(), chips(None, e.zh)
        return replace(conv, filters=f).to_json(), chips(f)

    def set_scope_quietly(value, sel, reg, dfrom, dto):
        """As set_scope, leaving things as they are while a date is still being typed (not yet a date)."""
        try:
            filters_of(sel, reg, dfrom, dto)
        except AssistantError:
            return gr.update(), gr.update()
        return set_scope(value, sel, reg, dfrom, dto)

    def clear_chip(value, sel, reg, dfrom, dto, evt: gr.EventData):
        which = getattr(evt, "clear", "")
        sel, reg = ([] if which == "notices" else sel), ("" if which == "region" else reg)
        dfrom, dto = ("", "") if which == "dates" else (dfrom, dto)
        state, chip = set_scope(value, sel, reg, dfrom, dto)
        return state, chip, gr.update(value=sel), gr.update(value=reg), dfrom, dto

    def rerender(value, show_details):
        return render(Conversation.from_json(value), show_details)

    def feedback(value, show_details, evt: gr.EventData):
        conv = Conversation.from_json(value)
        t = conv.turn(int(getattr(evt, "n", 0) or 0))
        if t is None:
            gr.Warning("这条回答已不在当前对话中。")
            return gr.update(), gr.update()
        verdict = getattr(evt, "verdict", "") or t.feedback
        comment = getattr(evt, "comment", None)
        if not verdict:
            gr.Warning("请先点“有用”或“有误”。")
            return gr.update(), gr.update()
        if store is None:
            gr.Warning("反馈没有保存:服务器未设置数据目录。")
            return gr.update(), gr.update()
        try:
            store.record(conv.key(t), verdict, t.answer.to_dict(), [x.question for x in conv.turns if x.n < t.n],
                         t.index_version, comment)
        except AssistantError as e:
            gr.Warning(e.zh)
            return gr.update(), gr.update()
        t = replace(t, feedback=verdict, comment=t.comment if comment is None else comment.strip())
        conv = conv.with_turn(t)
        return render(conv, show_details), conv.to_json()

    def export(value, fmt: str, n: int | None):
        conv = Conversation.from_json(value)
        turns = list(conv.turns) if n is None else [t for t in conv.turns if t.n == n]
        if not turns:
            gr.Warning("对话是空的,没有可导出的内容。" if n is None else "这条回答已不在当前对话中。")
            return gr.update()
        now = time.strftime("%Y-%m-%d %H:%M")
        name = export_name(conv, turns[0] if n is not None else None, now, fmt)
        path = _exports_dir() / name
        if fmt == "docx":
            path.write_bytes(conversation_docx(turns, now))
        else:
            text = conversation_markdown(turns, now) if n is None else turn_markdown(turns[0], "#")
            path.write_text(text, encoding="utf-8")
        return gr.update(value=str(path), visible=True)

    def export_turn(value, evt: gr.EventData):
        return export(value, "docx" if getattr(evt, "fmt", "") == "docx" else "md", int(getattr(evt, "n", 0) or 0))

    # ---------------------------------------------------------------- events
    scope_inputs = [sel_notices, region, date_from, date_to]
    ask_inputs = [box, conv_state, *scope_inputs, details, mode_pick]
    ask_outputs = [conversation, conv_state, box, chips_box]
    send.click(respond, ask_inputs, ask_outputs, api_visibility="private")
    box.submit(respond, ask_inputs, ask_outputs, api_visibility="private")
    # Scope changes and resets run one at a time in the order they were sent: clicking 新对话 while typing a date
    # sends the date field's blur first, and the reset must not be overtaken by it. Each takes milliseconds.
    serial = {"api_visibility": "private", "concurrency_id": "scope", "concurrency_limit": 1,
              "show_progress": "hidden"}
    clear.click(clear_chat, [conv_state, details], [conversation, conv_state], **serial)
    reset_outputs = [conversation, conv_state, chips_box, *scope_inputs]
    new.click(new_chat, [details], reset_outputs, **serial)
    forget.click(None, None, None, js=CLEAR_LOCAL_JS).success(new_chat, [details], reset_outputs, **serial)
    for comp in (sel_notices, region):
        comp.input(set_scope, [conv_state, *scope_inputs], [conv_state, chips_box], **serial)
    for comp in (date_from, date_to):
        # while typing, a date that is complete shows at once; Enter (or asking) names a bad one. Not on blur: the
        # blur of a click on 新对话 can arrive after the reset, with the old values.
        comp.change(set_scope_quietly, [conv_state, *scope_inputs], [conv_state, chips_box], **serial)
        comp.submit(set_scope, [conv_state, *scope_inputs], [conv_state, chips_box], **serial)
    chips_box.click(clear_chip, [conv_state, *scope_inputs], [conv_state, chips_box, *scope_inputs], **serial)
    details.change(rerender, [conv_state, details], conversation, api_visibility="private")
    conversation.submit(feedback, [conv_state, details], [conversation, conv_state], api_visibility="private")
    conversation.download(export_turn, [conv_state], export_file, api_visibility="private").then(
        None, None, None, js=DOWNLOAD_JS)
    exp_docx.click(lambda v: export(v, "docx", None), [conv_state], export_file, api_visibility="private").then(
        None, None, None, js=DOWNLOAD_JS)
    exp_md.click(lambda v: export(v, "md", None), [conv_state], export_file, api_visibility="private").then(
        None, None, None, js=DOWNLOAD_JS)
    demo.load(restore, [conv_state, details], [conversation, conv_state, chips_box, *scope_inputs],
              api_visibility="private")
    return ChatTab(conv_state, conversation, box, chips_box, sel_notices, region, date_from, date_to, back_turn,
                   details, render)
