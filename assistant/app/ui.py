"""The Gradio chat: questions with streamed, cited answers and source cards; filters; a notice browser;
an evaluation tab; and the `/ask` API endpoint. This module only calls the library.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Iterator

from ..answer.base import Final, Shown
from ..config import Config
from ..errors import AssistantError, BadConfig
from ..pipeline import Assistant
from ..question import analyse
from ..types import Answer, Filters
from ..validate import ANSWER_FACTOR
from .limits import Admission, ApiArguments, BodyLimit, client_of
from .render import answer_markdown, md_escape, notice_html, sentences_markdown, source_cards_html

log = logging.getLogger(__name__)

EXAMPLES = [
    "陕西省“十三五”易地扶贫搬迁共搬迁了多少户?",
    "各地怎么处理旧宅腾退拆除?",
    "红石桥乡社会扶贫网注册了多少爱心人士?",
    "How many households were relocated in Shaanxi?",
]
CSS = """
.src-card{border:1px solid #d0d7de;border-radius:8px;padding:8px 12px;margin:8px 0;background:#fff}
.src-n{font-weight:bold;color:#0550ae}.src-meta,.src-section{color:#57606a;font-size:0.9em}
.src-quote{border-left:3px solid #0550ae;margin:6px 0;padding:4px 8px;background:#f6f8fa}
mark{background:#fff3b0}.details{font-size:0.85em;border-collapse:collapse}.details td,.details th{border:1px solid #ddd;padding:2px 6px}
.notice-text{line-height:1.8}.focus{background:#ffd33d}
"""
STREAM_STEP = 24  # characters per streamed update
MODES = {"生成式回答": "llm", "原文摘录": "extractive"}  # the toggle's labels, shown only when an LLM is configured


def mode_of(label: str | None) -> str | None:
    """The answer mode for a toggle label or a mode name; None (the default) when empty.
    Example: mode_of("原文摘录") -> "extractive"; mode_of("llm") -> "llm"; mode_of("") -> None."""
    if label is not None and not isinstance(label, str):
        return label  # the validation layer names it
    label = (label or "").strip()
    return MODES.get(label, label) or None


def bubble_updates(a: Assistant, message: str, history: list, filters: Filters, mode: str | None, turn: int
                   ) -> Iterator[tuple[str, Answer | None]]:
    """The answer bubble's Markdown as the answer is made, and the Answer at the end.

    A generated answer shows only sentences that have passed verification, with a typing indicator standing in
    for the sentence being written: no unchecked figure is ever on screen. A quoted answer streams its text."""
    shown: list[tuple[str, bool]] = []
    for ev in a.ask_stream(message, history=history, filters=filters, mode=mode):
        if isinstance(ev, Final):
            full = answer_markdown(ev.answer, turn)
            if ev.answer.mode == "extractive" and not shown:
                for i in range(STREAM_STEP, len(full), STREAM_STEP):
                    yield full[:i], None
            yield full, ev.answer
            return
        if isinstance(ev, Shown):
            shown.append((ev.sentence, ev.line_end))
        yield sentences_markdown(shown, typing=True), None


def _error_text(e: Exception, where: str = "", client: str | None = None) -> str:
    """The sentence the user sees. Refused input is logged in one line, without a traceback and without the
    question (questions can be sensitive: they are never logged at the default level)."""
    if isinstance(e, AssistantError):
        log.warning("拒绝%s请求%s:%s(%s)", where, f"(来自 {client})" if client else "", type(e).__name__,
                    e.detail or e.zh)
        return e.zh
    log.exception("unexpected error in %s", where or "a request")
    return "抱歉,处理这个问题时出错了。请换个问法再试,或联系管理员。"


def admission(cfg: Config) -> Admission:
    return Admission(cfg.server_concurrency, cfg.server_queue_size, cfg.max_requests_per_session,
                     cfg.max_requests_per_address, cfg.server_wait_seconds)


_LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def check_exposure(host: str, auth: list | None, insecure: bool) -> None:
    """Refuse to serve beyond this machine without a login, unless the operator says --insecure."""
    import ipaddress
    try:
        loopback = host in _LOOPBACK or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = False
    if not loopback and not auth and not insecure:
        raise BadConfig(f"拒绝在 {host} 上开放没有登录的服务:请用 --auth-env 或 --auth-file 设置登录凭据;"
                        f"确需无登录开放时,加 --insecure。",
                        f"host {host!r} is not loopback, no auth, no --insecure")


def parse_auth(auth_env: str | None, auth_file: str | None) -> list[tuple[str, str]] | None:
    """user:password pairs from an environment variable or a file (never from the command line)."""
    raw = ""
    if auth_env:
        raw = os.environ.get(auth_env, "")
        if not raw:
            raise AssistantError(f"环境变量 {auth_env} 未设置登录凭据(格式 user:password)", f"{auth_env} is empty")
    elif auth_file:
        try:
            raw = Path(auth_file).read_text(encoding="utf-8")
        except OSError as e:
            raise AssistantError(f"无法读取登录凭据文件:{auth_file}", repr(e)) from e
    else:
        return None
    pairs = []
    for line in raw.replace(",", "\n").splitlines():
        line = line.strip()
        if not line:
            continue
        if ":" not in line:
            raise AssistantError("登录凭据格式应为 user:password", "missing ':' in credentials")
        u, p = line.split(":", 1)
        pairs.append((u, p))
    return pairs or None


def notice_choices_of(a: Assistant) -> list[tuple[str, str]]:
    return [(f"{n.title}({n.date or '未注明日期'})", n.id) for n in a.notices()]


def build_app(assistant: Assistant, editable: bool = True, gate: Admission | None = None):
    """The chat. `editable`: whether 添加通报 / 删除 are offered (see ui_notices.can_edit); `gate` bounds the
    questions in flight (one is made from the config when not given)."""
    import gradio as gr

    from .ui_notices import library_panel, notice_extras_html

    a = assistant
    gate = gate or admission(a.cfg)
    notices = a.notices()
    notice_choices = notice_choices_of(a)
    regions = sorted({x for n in notices for x in (n.province, n.city, n.county, n.township) if x})

    def _filters(sel_notices, region, date_from, date_to) -> dict:
        """As the form gives them; Assistant.ask checks them (a date that does not exist is named)."""
        return {"notice_ids": list(sel_notices or ()), "region": region, "date_from": date_from, "date_to": date_to}

    def respond(message, chat, questions, turns, sel_notices, region, date_from, date_to, details, mode_label,
                request=None) -> Iterator[tuple]:
        chat = list(chat or [])
        questions = list(questions or [])
        turns = list(turns or [])
        chat.append({"role": "user", "content": md_escape(message if isinstance(message, str) else "")})
        turn = len(turns) + 1
        # earlier answers go to the model as earlier turns when they line up with the questions (each cut to
        # what the validation layer accepts of an earlier answer)
        keep = ANSWER_FACTOR * a.cfg.max_question_chars
        history = ([{"question": q, "text": (t.get("text") or "")[:keep]} for q, t in zip(questions, turns)]
                   if len(questions) == len(turns) else questions)[-a.cfg.max_history_turns:]
        chat.append({"role": "assistant", "content": ""})
        ans = None
        session, address = client_of(request)
        try:
            with gate.slot(session, address):
                for content, final in bubble_updates(a, message, history,
                                                     _filters(sel_notices, region, date_from, date_to),
                                                     mode_of(mode_label) if a.llm is not None else None, turn):
                    chat[-1] = {"role": "assistant", "content": content}
                    ans = final
                    if final is None:
                        yield chat, gr.update(), questions, turns, "", gr.update()
        except Exception as e:  # noqa: BLE001 - the browser sees a sentence, never a traceback
            chat[-1] = {"role": "assistant", "content": md_escape(_error_text(e, "提问", address))}
            yield chat, gr.update(), questions, turns, "", gr.update()
            return
        info = analyse(ans.rewritten_question, a.gaz)
        terms = a.tokenizer.query_tokens(ans.rewritten_question)
        sections = {(c.notice_id, c.start): a.section_text(c.notice_id, c.start) or ""
                    for c in list(ans.citations) + list(ans.related)}
        cards = source_cards_html(ans, turn, a.data.notices, sections, terms, info, details)
        questions.append(message.strip())
        turns.append(ans.to_dict())
        cite_choices = [(f"[{c['n']}] {c['title']} · {c['section']}", f"{turn}:{c['n']}")
                        for c in ans.to_dict()["citations"]]
        yield chat, cards, questions, turns, "", gr.update(choices=cite_choices, value=None)

    def open_notice(nid, focus=None):
        n = a.data.notices.get(nid)
        if n is None:
            return "<p>请选择一份通报。</p>"
        report = next((r for r in a.data.reports if r.path == n.path), None)
        page = n.page_at(focus[0]) if focus else None
        return notice_html(n, a.passages_of(nid), focus) + notice_extras_html(a.cfg.corpus_dir, n, report, page)

    def open_citation(choice, turns):
        if not choice:
            return gr.update(), gr.update(), gr.update(), gr.update()
        t, k = (int(x) for x in choice.split(":"))
        c = next(c for c in turns[t - 1]["citations"] if c["n"] == k)
        focus = (c["notice_id"], c["start"], c["end"])
        return (gr.update(selected="notices"), gr.update(value=c["notice_id"]),
                open_notice(c["notice_id"], focus[1:]), focus)

    def pick_notice(nid, focus):
        """The dropdown also changes when a citation is opened: keep that citation's passage marked."""
        return open_notice(nid, tuple(focus[1:]) if focus and focus[0] == nid else None)

    def ask_api(question: str, history: list[str] | None = None, top_k: int = 5, mode: str = "",
                filters: dict | None = None, retriever: str | None = None, request=None) -> dict[str, Any]:
        """Ask a question; returns the Answer as a dict (same as Answer.to_dict()). `history` holds the earlier
        questions (oldest first); `mode`: "llm" (生成式回答), "extractive" (原文摘录) or empty for the default (the
        answer's `mode`, `note` and `failed` say which answered and which generated sentences failed
        verification); `filters` notice_ids / region / date_from / date_to; `retriever` hybrid / bm25 / dense.
        A bad value, or too many questions at once, is answered with a Chinese message."""
        session, address = client_of(request)
        try:
            with gate.slot(session, address):
                return a.ask(question, history=history, top_k=top_k, filters=filters, retriever=retriever,
                             mode=mode_of(mode)).to_dict()
        except Exception as e:  # noqa: BLE001 - the caller gets a sentence, the log one line
            raise gr.Error(_error_text(e, " /ask ", address), print_exception=False) from None

    # gradio finds the request parameter by its type; it is imported lazily here, so set the annotation now
    ask_api.__annotations__["request"] = gr.Request
    respond.__annotations__["request"] = gr.Request

    with gr.Blocks(title="通报问答助手", analytics_enabled=False) as demo:
        gr.Markdown("## 通报问答助手\n只依据已收录的通报作答,逐字引用原文并注明出处;通报中没有的,会直接说明。")
        questions = gr.State([])
        turns = gr.State([])
        focus = gr.State(None)  # (notice_id, start, end) of the citation last opened
        with gr.Tabs() as tabs:
            with gr.Tab("问答", id="chat"):
                with gr.Row():
                    with gr.Column(scale=3):
                        chat = gr.Chatbot(label="对话", height=460, elem_id="chatbot", feedback_options=None)
                        box = gr.Textbox(placeholder="输入问题,例如:陕西省搬迁了多少户?", show_label=False,
                                         elem_id="question-box", max_lines=4)
                        with gr.Row():
                            send = gr.Button("提问", variant="primary", elem_id="send-btn")
                            clear = gr.Button("清空", elem_id="clear-btn")
                            new = gr.Button("新对话", elem_id="new-btn")
                        mode_pick = gr.Radio(list(MODES), value=next(iter(MODES)), label="回答方式",
                                             visible=a.llm is not None, elem_id="mode-pick",
                                             info="生成式回答逐句核对原文,未通过核对的句子不显示;原文摘录只引用原句")
                        gr.Examples(EXAMPLES, inputs=box, label="示例问题")
                    with gr.Column(scale=2):
                        cards = gr.HTML("<div class='src-empty'>引用的原文会显示在这里。</div>", elem_id="cards")
                        cite_pick = gr.Radio([], label="在通报中查看引用", elem_id="cite-pick")
                        with gr.Accordion("检索范围", open=False):
                            sel_notices = gr.Dropdown(notice_choices, multiselect=True, label="通报")
                            region = gr.Dropdown([""] + regions, value="", label="地区", allow_custom_value=True)
                            date_from = gr.Textbox(label="起始日期(YYYY-MM-DD)")
                            date_to = gr.Textbox(label="截止日期(YYYY-MM-DD)")
                        details = gr.Checkbox(False, label="显示检索细节(BM25 / 向量 / 融合排名)")
            with gr.Tab("通报", id="notices"):
                pick = gr.Dropdown(notice_choices, label="选择通报", value=notice_choices[0][1] if notice_choices
                                   else None, elem_id="notice-pick")
                notice_view = gr.HTML(open_notice(notice_choices[0][1]) if notice_choices else "", elem_id="notice-view")
                library_panel(a, editable, pick, sel_notices, notice_choices_of)
            with gr.Tab("评测", id="eval"):
                from .ui_eval import eval_tab
                eval_tab(a)

        ins = [box, chat, questions, turns, sel_notices, region, date_from, date_to, details, mode_pick]
        outs = [chat, cards, questions, turns, box, cite_pick]
        send.click(respond, ins, outs, api_visibility="private")
        box.submit(respond, ins, outs, api_visibility="private")
        clear.click(lambda: ([], "", []), None, [chat, cards, turns], api_visibility="private")
        new.click(lambda: ([], "", [], [], ""), None, [chat, cards, questions, turns, box], api_visibility="private")
        pick.change(pick_notice, [pick, focus], notice_view, api_visibility="private")
        cite_pick.change(open_citation, [cite_pick, turns], [tabs, pick, notice_view, focus],
                         api_visibility="private").then(
            None, None, None, js="() => setTimeout(() => document.getElementById('focus')"
                                 "?.scrollIntoView({block: 'center'}), 300)")
        # not held in gradio's queue: `gate` bounds questions per client and in total, and says 请稍后再试
        gr.api(ask_api, api_name="ask", concurrency_limit=None)
    return demo


def serve(cfg: Config, host: str | None = None, port: int | None = None, auth_env: str | None = None,
          auth_file: str | None = None, block: bool = True, insecure: bool = False):
    import sys
    auth = parse_auth(auth_env, auth_file)
    cfg = cfg.with_overrides(host=host, port=port)
    check_exposure(cfg.host, auth, insecure)
    import threading
    print("正在加载索引(首次运行会先建立索引,约需一两分钟)……", file=sys.stderr)
    loaded: dict = {}

    def load() -> None:  # runs while gradio imports (2+ s of start-up)
        try:
            loaded["a"] = Assistant.load(config=cfg, show_progress=True)
            loaded["a"].warm_up()
        except BaseException as e:  # noqa: BLE001 - re-raised in the main thread
            loaded["error"] = e
    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    import gradio  # noqa: F401
    from starlette.middleware import Middleware
    worker.join()
    if "error" in loaded:
        raise loaded["error"]
    a = loaded["a"]
    from .ui_notices import can_edit
    gate = admission(cfg)
    demo = build_app(a, editable=can_edit(cfg.host, auth), gate=gate)
    demo.queue(default_concurrency_limit=cfg.server_concurrency)
    print(f"已就绪:http://{cfg.host}:{cfg.port}", file=sys.stderr)
    limit = Middleware(BodyLimit, max_bytes=cfg.max_request_kb * 1024, upload_bytes=cfg.max_upload_mb * 1024 * 1024)
    # calls of /ask with too few values get nulls (named by its checks), of other functions are refused; inside
    # `limit`, so the bodies read are bounded
    api = {i for i, fn in demo.fns.items() if fn.api_name == "ask"}
    args = Middleware(ApiArguments, arity={"ask": len(demo.fns[i].inputs) for i in api},
                      fn_arity={i: len(fn.inputs) for i, fn in demo.fns.items()}, pad=frozenset(api))
    demo.launch(server_name=cfg.host, server_port=cfg.port, auth=auth, show_error=False, css=CSS,
                prevent_thread_lock=not block, footer_links=["api"],
                allowed_paths=[str(Path(cfg.corpus_dir).resolve())],  # the originals, opened from the 通报 tab
                max_file_size=int(cfg.max_file_mb * 1024 * 1024),  # uploads: the notice file size limit
                max_threads=cfg.server_concurrency + cfg.server_queue_size + 16, app_kwargs={"middleware": [limit, args]})
    return demo if not block else 0
