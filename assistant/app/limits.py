"""Bounds on what the server accepts: request size (an ASGI middleware), API calls with too few values (another)
and questions in flight (per browser session, per address, and in total with a bounded wait). No gradio here:
all three are plain and tested alone.

A client over its share gets Busy ("……请稍后再试") at once, so one client sending many or large requests cannot
make everyone else wait; questions beyond the running ones wait in a queue of bounded length, and a full queue
also answers "请稍后再试".
"""
from __future__ import annotations

import json
import logging
import re
import threading
import time
from contextlib import contextmanager
from typing import Any, Awaitable, Callable, Iterator

from ..errors import Busy

log = logging.getLogger(__name__)

BUSY_CLIENT = "您的上一个问题还在处理中,请稍后再试。"
BUSY_SERVER = "现在提问的人太多了,请稍后再试。"


class Admission:
    """Questions in flight: at most `per_session` for one browser session (or API client), `per_address` for one
    network address, `concurrency` answered at once, and `queue_size` more waiting, each at most `wait_seconds`.

    Example: Admission(1, 0, 1, 4) lets one question run; a second from the same session, or any question while
    the first runs, raises Busy.
    """

    def __init__(self, concurrency: int, queue_size: int, per_session: int, per_address: int,
                 wait_seconds: float = 30.0) -> None:
        self.concurrency = concurrency
        self.queue_size = queue_size
        self.per_session = per_session
        self.per_address = per_address
        self.wait_seconds = wait_seconds
        self.running = 0
        self.waiting = 0
        self._by_key: dict[tuple[str, str], int] = {}
        self._cond = threading.Condition()

    def _keys(self, session: str | None, address: str | None) -> list[tuple[tuple[str, str], int]]:
        keys = []
        if session:
            keys.append((("session", session), self.per_session))
        if address:
            keys.append((("address", address), self.per_address))
        return keys

    @contextmanager
    def slot(self, session: str | None, address: str | None) -> Iterator[None]:
        """Hold one place for the duration of a question, or raise Busy (naming which bound was reached)."""
        keys = self._keys(session, address)
        with self._cond:
            for key, limit in keys:
                if self._by_key.get(key, 0) >= limit:
                    raise Busy(BUSY_CLIENT, f"{key[0]} already has {limit} question(s) in flight")
            if self.running >= self.concurrency and self.waiting >= self.queue_size:
                raise Busy(BUSY_SERVER, f"queue full: {self.running} running, {self.waiting} waiting")
            for k, _ in keys:
                self._by_key[k] = self._by_key.get(k, 0) + 1
            try:
                if self.running >= self.concurrency:
                    self.waiting += 1
                    try:
                        deadline = time.monotonic() + self.wait_seconds
                        while self.running >= self.concurrency:
                            left = deadline - time.monotonic()
                            if left <= 0:
                                raise Busy(BUSY_SERVER, f"waited {self.wait_seconds}s for a free slot")
                            self._cond.wait(left)
                    finally:
                        self.waiting -= 1
                self.running += 1
            except BaseException:
                self._release_keys(keys)
                raise
        try:
            yield
        finally:
            with self._cond:
                self.running -= 1
                self._release_keys(keys)
                self._cond.notify()

    def _release_keys(self, keys) -> None:
        for k, _ in keys:
            n = self._by_key.get(k, 0) - 1
            if n > 0:
                self._by_key[k] = n
            else:
                self._by_key.pop(k, None)


Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


class BodyLimit:
    """ASGI middleware: refuse a request body over `max_bytes` (`upload_bytes` for file uploads) with 413 and a
    Chinese message naming the size, before the app reads it; a body that turns out longer while streaming is
    cut off the same way."""

    def __init__(self, app: Callable, max_bytes: int, upload_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_bytes = upload_bytes

    async def __call__(self, scope: dict, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_bytes if scope.get("path", "").rstrip("/").endswith("/upload") else self.max_bytes
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                n = int(length)
            except ValueError:
                n = limit + 1
            if n > limit:
                await self._refuse(send, n, limit, scope)
                return
        seen = 0
        started = False

        async def counted() -> dict:
            nonlocal seen
            msg = await receive()
            if msg.get("type") == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:
                    raise _TooLarge(seen)
            return msg

        async def tracked(msg: dict) -> None:
            nonlocal started
            if msg.get("type") == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge as e:
            if not started:
                await self._refuse(send, e.size, limit, scope)

    @staticmethod
    async def _refuse(send: Send, size: int, limit: int, scope: dict) -> None:
        log.warning("拒绝过大的请求:%s %d 字节,上限 %d 字节", scope.get("path", ""), size, limit)
        body = json.dumps({"error": f"请求太大({size} 字节),上限为 {limit} 字节。"}, ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


_CALL = re.compile(r".*/(?:call/v2|call|run|api)/(?P<name>[^/]+)/?")


def _is_join(path: str) -> bool:
    return path.rstrip("/").endswith("/queue/join")


def padded_call(path: str, body: bytes, arity: dict[str, int], fn_arity: dict[int, int],
                pad: frozenset[int] = frozenset()) -> bytes | None:
    """The JSON body of a call with its "data" list padded with nulls up to the number of values its function
    takes (`arity` by API name for /call/<name> and /run/<name>; `fn_arity` by fn_index for /queue/join, where
    only the functions in `pad` are padded); None for a /queue/join call that gives another function too few
    values; any other body unchanged.

    Example: ("/gradio_api/call/ask", b'{"data": ["q"]}', {"ask": 3}, {}) -> b'{"data": ["q", null, null]}'.
    """
    m = _CALL.fullmatch(path)
    if not (m and m.group("name") in arity) and not _is_join(path):
        return body
    try:
        d = json.loads(body)
    except ValueError:  # not JSON (or not UTF-8): the server answers that itself (HTTP 422)
        return body
    if not isinstance(d, dict) or not isinstance(d.get("data"), list):
        return body
    index = d.get("fn_index")
    n = arity[m.group("name")] if m else fn_arity.get(index) if isinstance(index, int) else None
    if n is None or len(d["data"]) >= n:
        return body
    if not m and index not in pad:
        return None
    d["data"] = d["data"] + [None] * (n - len(d["data"]))
    return json.dumps(d).encode("ascii")  # ASCII escapes: a lone surrogate stays an escape, as it came


class ApiArguments:
    """ASGI middleware: a call of the API (`arity`, by name; `pad`, by fn_index) that gives fewer values than it
    takes gets nulls for the missing ones (padded_call), so the API's own checks answer, naming what is missing
    (问题必须是文字…); a call of another function with too few values is refused (HTTP 422, a Chinese message).
    Without it gradio refuses such a call only after queueing it: an error without a message for the caller, and
    a traceback in the log that holds the values given (the question). Only the bodies of calls are read here,
    and BodyLimit, wrapped around this middleware, bounds them."""

    def __init__(self, app: Callable, arity: dict[str, int], fn_arity: dict[int, int],
                 pad: frozenset[int] = frozenset()) -> None:
        self.app = app
        self.arity = arity
        self.fn_arity = fn_arity
        self.pad = frozenset(pad)

    async def __call__(self, scope: dict, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        m = _CALL.fullmatch(path)
        if (scope.get("type") != "http" or scope.get("method") != "POST"
                or not ((m and m.group("name") in self.arity) or _is_join(path))):
            await self.app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            msg = await receive()
            if msg.get("type") != "http.request":  # the client went away
                return
            chunks.append(msg.get("body", b""))
            more = msg.get("more_body", False)
        body = b"".join(chunks)
        new = padded_call(path, body, self.arity, self.fn_arity, self.pad)
        if new is None:
            log.warning("拒绝参数个数不足的调用:%s", path)
            out = json.dumps({"error": "调用的参数个数不足,请刷新页面后重试。"}, ensure_ascii=False).encode()
            await send({"type": "http.response.start", "status": 422,
                        "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                    (b"content-length", str(len(out)).encode())]})
            await send({"type": "http.response.body", "body": out})
            return
        if new is not body:
            headers = [(k, v) for k, v in scope.get("headers") or [] if k != b"content-length"]
            scope = {**scope, "headers": [*headers, (b"content-length", str(len(new)).encode())]}
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": new, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def client_of(request: Any) -> tuple[str | None, str | None]:
    """(session, address) of a gradio Request; (None, None) when called without one (tests, scripts)."""
    if request is None:
        return None, None
    session = getattr(request, "session_hash", None)
    client = getattr(request, "client", None)
    return session, getattr(client, "host", None)
