"""A small fake OpenAI-compatible server on 127.0.0.1 speaking real HTTP with SSE streaming, for the LLM tests.

`FakeLLM.script` is a function from the request body (the parsed JSON the `openai` client sent) to a `Reply`.
The server records every request in `FakeLLM.requests`.
"""
from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass
class Reply:
    text: str = ""
    pieces: int = 3  # characters per streamed chunk
    delay: float = 0.0  # seconds between chunks
    wait: float = 0.0  # seconds before the response starts (a slow server)
    status: int = 200  # an HTTP error status instead of a stream
    cut_after: int | None = None  # drop the connection after this many chunks (a stream cut short)
    malformed: bool = False  # send a chunk that is not JSON
    finish: str | None = "stop"


def passage_numbers(body: dict) -> dict[int, str]:
    """Passage number -> passage text, read from the prompt's fences (as a model reads them)."""
    user = body["messages"][-1]["content"]
    out = {}
    for m in re.finditer(r"<<<资料\w+ 第(\d+)段>>>\n(.*?)\n<<<资料\w+ 第\1段结束>>>", user, re.S):
        out[int(m.group(1))] = m.group(2)
    return out


def passage_with(body: dict, needle: str) -> int:
    """The number of the first passage containing needle (the fake 'reads' its material)."""
    for n, text in passage_numbers(body).items():
        if needle in text:
            return n
    raise AssertionError(f"no passage with {needle!r} was sent")


@dataclass
class FakeLLM:
    script: Callable[[dict], Reply] = lambda body: Reply("在已收录的通报中没有找到相关内容。")
    requests: list[dict] = field(default_factory=list)
    headers: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # /v1/models
                self._json(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})

            def do_POST(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(n) or b"{}")
                fake.requests.append(body)
                fake.headers.append(dict(self.headers))
                reply = fake.script(body)
                if reply.wait:
                    time.sleep(reply.wait)
                if reply.status != 200:
                    self._json(reply.status, {"error": {"message": "scripted failure", "type": "server_error"}})
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                text = reply.text
                chunks = [text[i:i + reply.pieces] for i in range(0, len(text), reply.pieces)] or [""]
                try:
                    for i, c in enumerate(chunks):
                        if reply.cut_after is not None and i >= reply.cut_after:
                            self.wfile.write(b"5\r\ndata:")  # half a chunk, then the connection drops
                            self.wfile.flush()
                            self.close_connection = True
                            self.connection.shutdown(2)
                            return
                        self._event({"choices": [{"index": 0, "delta": {"content": c}, "finish_reason": None}]})
                        if reply.malformed and i == 0:
                            self._raw(b"data: {not json at all\n\n")
                        if reply.delay:
                            time.sleep(reply.delay)
                    if reply.finish:
                        self._event({"choices": [{"index": 0, "delta": {}, "finish_reason": reply.finish}]})
                    self._raw(b"data: [DONE]\n\n")
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    pass

            def _event(self, payload: dict) -> None:
                payload = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": "fake",
                           **payload}
                self._raw(f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode("utf-8"))

            def _raw(self, data: bytes) -> None:
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            def _json(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> "FakeLLM":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
