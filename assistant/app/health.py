"""GET /healthz: whether this worker can answer, as JSON, for a load balancer (nginx, a Kubernetes probe) and staff.

- 200 `{"status": "ok", …}` when it answers; also `"reloading"` while it loads a newer build another worker made
  (it answers from the previous build meanwhile: taking every worker out at once would be an outage).
- 503 `{"status": "error", "reason": "…"}` when the index is missing or damaged, a newer build could not be loaded,
  or the Milvus collection is gone or unreachable (`Assistant.health`), and when the check itself fails.
- 503 `{"status": "loading"}` while the index loads at start-up (`LoadingServer` holds the port until the app takes
  it over).

Always JSON with the build answered from (manifest id, format version, corpus hash, build time), passages,
notices, backend (files / milvus) and uptime; never a traceback. No login: it tells counts, not notice text.
No gradio here.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Awaitable, Callable

log = logging.getLogger(__name__)

PATH = "/healthz"
LOADING = "正在加载索引,稍后即可提问"
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


def health_of(assistant, started: float, now: float | None = None) -> tuple[int, dict[str, Any]]:
    """The HTTP status and JSON body for an assistant (None: still loading).

    Example: health_of(None, t0) -> (503, {"status": "loading", "reason": "正在加载索引…", "uptime_s": …}).
    """
    uptime = round((time.monotonic() if now is None else now) - started, 1)
    if assistant is None:
        return 503, {"status": "loading", "reason": LOADING, "uptime_s": uptime}
    try:
        h = assistant.health()
    except Exception as e:  # noqa: BLE001 - the check must answer, whatever went wrong
        log.warning("health check failed: %r", e)
        return 503, {"status": "error", "reason": f"健康检查本身出错({type(e).__name__}: {str(e)[:200]})",
                     "uptime_s": uptime}
    return (200 if h.ok else 503), {**h.to_dict(), "uptime_s": uptime}


def _body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


_HEADERS = [(b"content-type", b"application/json; charset=utf-8"), (b"cache-control", b"no-store")]


class HealthEndpoint:
    """ASGI middleware answering GET / HEAD `/healthz` before the app (and its login) sees the request.
    `assistant` gives the assistant to check (None while loading); the check runs in a worker thread, so a slow
    disk or Milvus never holds the event loop."""

    def __init__(self, app: Callable, assistant: Callable[[], Any], started: float, path: str = PATH) -> None:
        self.app = app
        self.assistant = assistant
        self.started = started
        self.path = path

    async def __call__(self, scope: dict, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http" or scope.get("path", "").rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        if scope.get("method") not in ("GET", "HEAD"):
            status, payload = 405, {"status": "error", "reason": "健康检查只接受 GET 或 HEAD 请求"}
        else:
            from starlette.concurrency import run_in_threadpool
            status, payload = await run_in_threadpool(health_of, self.assistant(), self.started)
        body = _body(payload)
        await send({"type": "http.response.start", "status": status,
                    "headers": _HEADERS + [(b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": b"" if scope.get("method") == "HEAD" else body})


class LoadingServer:
    """Holds the port while the index loads at start-up: `/healthz` says 503 loading, every other path a
    one-line 503 page in Chinese. `close()` frees the port for the app (which binds with SO_REUSEADDR)."""

    def __init__(self, host: str, port: int, started: float) -> None:
        started_at = started

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, head: bool) -> None:
                status, payload = health_of(None, started_at)
                if self.path.split("?")[0].rstrip("/") == PATH:
                    body, kind = _body(payload), "application/json; charset=utf-8"
                else:
                    # the page asks the browser to try again by itself: staff who open it early land in the chat
                    body = (f"<!doctype html><meta charset='utf-8'><meta http-equiv='refresh' content='5'>"
                            f"<meta name='color-scheme' content='light dark'>"  # dark with a dark system
                            f"<title>{LOADING}</title><p style='font:16px sans-serif;margin:2em'>{LOADING}。"
                            f"本页每 5 秒自动刷新。</p>").encode("utf-8")
                    kind = "text/html; charset=utf-8"
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Retry-After", "5")
                self.send_header("Connection", "close")
                self.end_headers()
                if not head:
                    self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 - http.server's names
                self._answer(head=False)

            def do_HEAD(self) -> None:  # noqa: N802
                self._answer(head=True)

            def log_message(self, *args: Any) -> None:  # quiet: a probe every few seconds
                pass

        self.server = ThreadingHTTPServer((host.strip("[]"), port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="loading-server", daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
