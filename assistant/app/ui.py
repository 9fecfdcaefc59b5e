"""The Gradio chat: questions with streamed, cited answers and source cards; filters; a notice browser;
an evaluation tab; and the `/ask` API endpoint. This module only calls the library.
"""
# no `from __future__ import annotations`: Gradio reads the handlers' gr.EventData / gr.Request hints at run time

import logging
import os
import secrets
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import AssistantError, BadConfig
from ..feedback import FeedbackStore
from ..pipeline import Assistant
from .conversation import Conversation
from .limits import Admission, ApiArguments, BodyLimit, client_of
from .render import is_current, notice_html
from .style import CSS, NOTICE_JS
from .ui_chat import EXAMPLES, MODES, bubble_updates, chat_tab, error_text, mode_of  # noqa: F401 (re-exported)

log = logging.getLogger(__name__)
SECRET_FILE = "browser-state.key"


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


def state_secret(data_dir: Path, path: Path | None = None) -> str:
    """The key the browser encrypts its copy of the conversation with: made once and kept in the data folder (or at
    `path`: the shared folder, so every worker behind one address reads the conversations every other kept), so a
    restarted server still reads conversations kept before (a new key would silently drop them)."""
    path = Path(path) if path is not None else Path(data_dir) / SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(24)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key)
    try:
        os.link(tmp, path)  # atomic and never replaces: of two servers starting at once, the first key wins
        return key
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    finally:
        tmp.unlink()


def build_app(assistant: Assistant, editable: bool = True, gate: Admission | None = None):
    """The chat. `editable`: whether 添加通报 / 删除 are offered (see ui_notices.can_edit); `gate` bounds the
    questions in flight (one is made from the config when not given). Staff data (feedback, the browser-state
    key) lives in `assistant.cfg.data_dir`, or in `shared_dir` when several workers share it (Config.staff_paths)."""
    import gradio as gr

    from .ui_eval import eval_tab
    from .ui_notices import library_panel, notice_extras_html

    a = assistant
    gate = gate or admission(a.cfg)
    paths = a.cfg.staff_paths()
    try:
        store: FeedbackStore | None = FeedbackStore(paths.feedback)
    except AssistantError as e:  # the chat still answers; feedback says why it cannot be kept
        log.warning("feedback disabled: %s (%s)", e.zh, e.detail)
        store = None
    secret = state_secret(a.cfg.data_dir, paths.browser_key)

    def open_notice(nid, focus=None, search=""):
        n = a.data.notices.get(nid)
        if n is None:
            return "<p>请选择一份通报。</p>"
        report = next((r for r in a.data.reports if r.path == n.path), None)
        page = n.page_at(focus[0]) if focus else None
        return notice_html(n, a.passages_of(nid), focus, search or "") + \
            notice_extras_html(a.cfg.corpus_dir, n, report, page)

    with gr.Blocks(title="通报问答助手", analytics_enabled=False) as demo:
        gr.Markdown("## 通报问答助手\n只依据已收录的通报作答,逐字引用原文并注明出处;通报中没有的,会直接说明。")
        focus = gr.State(None)  # (notice_id, start, end) of the citation last opened
        with gr.Tabs() as tabs:
            with gr.Tab("问答", id="chat") as chat_tab_:
                chat = chat_tab(demo, a, store, secret, notice_choices_of, gate)
            with gr.Tab("通报", id="notices"):
                choices = notice_choices_of(a)
                with gr.Row():
                    back = gr.Button("← 返回对话", size="sm", elem_id="back-btn", scale=0, min_width=120)
                    pick = gr.Dropdown(choices, label="选择通报", value=choices[0][1] if choices else None,
                                       elem_id="notice-pick", scale=3)
                    search = gr.Textbox(label="在本通报中查找", placeholder="输入词语后回车", elem_id="notice-search",
                                        scale=2)
                notice_view = gr.HTML(open_notice(choices[0][1]) if choices else "", elem_id="notice-view",
                                      js_on_load=NOTICE_JS, apply_default_css=False)
                library_panel(a, editable, pick, chat.sel_notices, notice_choices_of)
            with gr.Tab("评测", id="eval") as eval_tab_:
                eval_tab(a, store, eval_tab_)

        def open_citation(value, show_details, evt: gr.EventData):
            conv = Conversation.from_json(value)
            t = conv.turn(int(getattr(evt, "n", 0) or 0))
            k = int(getattr(evt, "cite", 0) or 0)
            pool = (t.answer.related if getattr(evt, "related", False) else t.answer.citations) if t else ()
            c = next((c for c in pool if c.n == k), None)
            skip = (gr.update(),) * 6
            if t is None or c is None:
                gr.Warning("这条引用已不在当前对话中。")
                return skip
            if not is_current(c, a.data.notices):
                gr.Warning("该通报已删除或已更新,无法打开引用的位置。")
                return (gr.update(),) * 5 + (chat.render(conv, show_details),)
            # a metadata answer cites the header line as published (raw text): the notice opens at its top
            f = (c.notice_id, c.start, c.end) if getattr(c, "origin", "text") != "raw" else (c.notice_id,)
            return (gr.update(selected="notices"), gr.update(value=c.notice_id),
                    open_notice(c.notice_id, f[1:] or None), f,
                    t.n, gr.update())

        def pick_notice(nid, focus, text):
            """The dropdown also changes when a citation is opened: keep that citation's passage marked."""
            return open_notice(nid, (tuple(focus[1:]) or None) if focus and focus[0] == nid else None, text)

        # back in the chat, cards show what changed meanwhile (a removed or updated notice)
        chat_tab_.select(lambda v, d: chat.render(Conversation.from_json(v), d), [chat.conv_state, chat.details],
                         chat.conversation, api_visibility="private")
        chat.conversation.click(open_citation, [chat.conv_state, chat.details],
                                [tabs, pick, notice_view, focus, chat.back_turn, chat.conversation],
                                api_visibility="private").then(
            None, None, None, js="() => setTimeout(() => document.querySelector('#notice-view #focus')"
                                 "?.scrollIntoView({block: 'center'}), 300)")
        pick.change(pick_notice, [pick, focus, search], notice_view, api_visibility="private")
        search.submit(pick_notice, [pick, focus, search], notice_view, api_visibility="private")
        back.click(lambda: gr.update(selected="chat"), None, tabs, api_visibility="private").then(
            None, [chat.back_turn], None,
            js="(n) => setTimeout(() => (document.getElementById('turn-t' + n) || document.querySelector("
               "'#conversation .turn:last-child'))?.scrollIntoView({block: 'start'}), 200)")

        def ask_api(question: str, history: list[str] | None = None, top_k: int = 5, mode: str = "",
                    filters: dict | None = None, retriever: str | None = None, request: gr.Request = None
                    ) -> dict[str, Any]:
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
                raise gr.Error(error_text(e, " /ask ", address), print_exception=False) from None

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
    import time

    from .health import HealthEndpoint, LoadingServer
    print("正在加载索引(首次运行会先建立索引,约需一两分钟)……", file=sys.stderr)
    started = time.monotonic()
    try:  # until the app is up, the port answers /healthz with 503 loading (a load balancer waits for this worker)
        holder: LoadingServer | None = LoadingServer(cfg.host, cfg.port, started)
    except OSError as e:  # the port is taken (launch below says so) or an address this server cannot bind
        log.info("no loading page on %s:%s: %r", cfg.host, cfg.port, e)
        holder = None
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
        if holder is not None:
            holder.close()
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
    health = Middleware(HealthEndpoint, assistant=lambda: a, started=started)  # outermost: no login, no body
    if holder is not None:
        holder.close()
    demo.launch(server_name=cfg.host, server_port=cfg.port, auth=auth, show_error=False, css=CSS,
                prevent_thread_lock=not block, footer_links=["api"],
                allowed_paths=[str(Path(cfg.corpus_dir).resolve())],  # the originals, opened from the 通报 tab
                max_file_size=int(cfg.max_file_mb * 1024 * 1024),  # uploads: the notice file size limit
                max_threads=cfg.server_concurrency + cfg.server_queue_size + 16, app_kwargs={"middleware": [health, limit, args]})
    return demo if not block else 0
