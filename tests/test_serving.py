"""Several workers serving one index: a notice added or removed through one is answered by the others (files and
Milvus), staff writes go to the shared folder and lose nothing when processes write at once, and the health check
says whether a worker can answer. Everything in tmp_path."""
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from assistant import Assistant, Config
from assistant.app.health import HealthEndpoint, LoadingServer, health_of
from assistant.errors import BadConfig
from assistant.ingest.library import read_log
from assistant.types import Filters

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def _shared(tmp_path: Path, **kw) -> tuple[Config, Path, Path]:
    """A corpus without one notice, index and staff folder all under one shared folder; returns the config, the
    held-back notice file and the shared folder."""
    shared = tmp_path / "shared"
    corpus = shared / "corpus"
    shutil.copytree(CORPUS, corpus)
    extra = next(corpus.glob("*dazhou*"))
    held = tmp_path / extra.name
    extra.rename(held)
    cfg = Config(corpus_dir=corpus, index_dir=shared / "index", shared_dir=str(shared / "staff"),
                 data_dir=tmp_path / "worker-data", embedding_backend="hash", **kw)
    return cfg, held, shared


def _wait_for(cond, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.1)
    return False


def _env(cfg: Config) -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "ASSISTANT_CORPUS_DIR": str(cfg.corpus_dir),
            "ASSISTANT_INDEX_DIR": str(cfg.index_dir), "ASSISTANT_SHARED_DIR": str(cfg.shared_dir),
            "ASSISTANT_DATA_DIR": str(cfg.data_dir), "ASSISTANT_EMBEDDING_BACKEND": "hash"}


def test_staff_paths_default_to_todays_places_and_move_to_shared_dir(tmp_path):
    one = Config(corpus_dir=tmp_path / "corpus", data_dir=tmp_path / "userdata").staff_paths()
    assert one.feedback == tmp_path / "userdata" / "feedback.sqlite"
    assert one.browser_key == tmp_path / "userdata" / "browser-state.key"
    assert one.changes_log == (tmp_path / "corpus-changes.jsonl").resolve()
    assert one.trash == (tmp_path / "corpus-trash").resolve()
    many = Config(corpus_dir=tmp_path / "corpus", shared_dir=str(tmp_path / "nfs")).staff_paths()
    assert {p.parent for p in (many.feedback, many.browser_key, many.changes_log, many.trash,
                               many.library_lock)} == {tmp_path / "nfs"}
    with pytest.raises(BadConfig) as e:
        Config(index_dir=tmp_path / "index", shared_dir=str(tmp_path / "index" / "staff"))
    assert "shared_dir" in e.value.zh
    assert Config.from_env({"ASSISTANT_SHARED_DIR": "/srv/shared"}).staff_paths().feedback == \
        Path("/srv/shared/feedback.sqlite")


def test_a_notice_added_in_another_process_is_answered_here(tmp_path):
    """Two worker processes over one shared folder (files backend): one adds a notice through the CLI, this one
    notices the new build on its next question and answers from it; a removal here is seen there."""
    cfg, held, shared = _shared(tmp_path)
    here = Assistant.load(config=cfg)
    build = here.data.path.name
    r = subprocess.run([sys.executable, "-m", "assistant", "add", str(held), "--user", "worker-2"], env=_env(cfg),
                       capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    nid = json.loads(r.stdout)[0]["notice_id"]
    assert nid not in here.data.notices  # this worker has not looked yet
    here.ask("达州市通川区脱贫攻坚工作情况如何?")  # a question: one stat of CURRENT, the new build loads behind it
    assert _wait_for(lambda: nid in here.data.notices)
    assert here.data.path.name != build
    hits = here.retriever.search("达州", 5, Filters(notice_ids=(nid,)))
    assert hits and all(h.passage.notice_id == nid for h in hits)
    assert here.health().status == "ok"

    here.remove_notice(nid, user="worker-1")
    log = read_log(cfg.corpus_dir, here.paths.changes_log)
    assert [(e["action"], e["user"]) for e in log] == [("add", "worker-2"), ("remove", "worker-1")]
    assert here.paths.changes_log.parent == shared / "staff"
    assert [p.name.endswith(held.name) for p in here.paths.trash.iterdir()] == [True]
    assert not (cfg.corpus_dir.parent / "corpus-changes.jsonl").exists()  # nothing beside the corpus


@pytest.mark.milvus
def test_two_workers_over_one_milvus_collection(tmp_path):
    """Two assistants over one Milvus Lite collection (Lite serves one process, so both are in this one; on a
    Milvus server they would be processes or machines): an addition through one is searched through the other,
    which writes nothing to Milvus when it loads the synced build."""
    pytest.importorskip("pymilvus")
    cfg, held, _ = _shared(tmp_path, milvus_uri=str(tmp_path / "milvus" / "m.db"))
    one = Assistant.load(config=cfg)
    two = Assistant.load(config=cfg)
    assert two.retriever.store.sync(two.data) == {"upserted_notices": 0, "deleted_notices": 0,
                                                  "passages_written": 0}
    [report] = one.add_files([(held.name, held.read_bytes())], user="one")
    nid = report.notice_id
    assert two.refresh() is True and nid in two.data.notices
    assert two.retriever.store.sync(two.data)["passages_written"] == 0  # the adding worker wrote the rows
    hits = two.retriever.search("达州 通川区", 10, Filters(notice_ids=(nid,)))
    assert hits and all(h.passage.notice_id == nid for h in hits)
    assert two.health().to_dict()["backend"] == "milvus" and two.health().ok
    two.remove_notice(nid, user="two")
    assert one.refresh() is True and nid not in one.data.notices
    assert all(h.passage.notice_id != nid for h in one.retriever.search("达州 通川区", 50))


_WRITER = textwrap.dedent("""
    import sys
    from assistant.feedback import FeedbackStore
    from assistant.ingest.library import append_line
    who, path, log, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    store = FeedbackStore(path)
    for i in range(n):
        store.record(f"{who}-{i}", "wrong" if i % 2 else "useful", {"question": f"问题{i}", "text": "答" * 300},
                     comment=f"{who} 第{i}条")
        append_line(log, '{"who": "%s", "i": %d, "pad": "%s"}' % (who, i, "字" * 3000))
""")


def test_feedback_and_log_lines_from_two_processes_lose_nothing(tmp_path):
    staff = tmp_path / "staff"
    paths = Config(shared_dir=str(staff)).staff_paths()
    n = 60
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, who, str(paths.feedback), str(paths.changes_log),
                               str(n)], cwd=ROOT, stderr=subprocess.PIPE, text=True) for who in ("a", "b")]
    for p in procs:
        assert p.wait(300) == 0, p.stderr.read()[-2000:]
    from assistant.feedback import FeedbackStore
    rows = FeedbackStore(paths.feedback).rows()
    assert sorted(r.key for r in rows) == sorted(f"{w}-{i}" for w in "ab" for i in range(n))
    lines = paths.changes_log.read_text(encoding="utf-8").splitlines()
    got = sorted((d["who"], d["i"]) for d in map(json.loads, lines))  # every line whole (9 KB each), none lost
    assert got == sorted((w, i) for w in "ab" for i in range(n))


# ------------------------------------------------------------------ health


def test_health_says_ok_loading_and_missing_or_damaged_index(tmp_path, corpus_copy):
    a = Assistant.load(config=Config(corpus_dir=corpus_copy, index_dir=tmp_path / "index", embedding_backend="hash"))
    t0 = time.monotonic() - 5
    code, body = health_of(a, t0)
    assert code == 200 and body["status"] == "ok" and body["reason"] == ""
    assert body["backend"] == "files" and body["notices"] == 5 and body["passages"] == len(a.data.passages)
    assert body["build"] == a.data.path.name and body["format_version"] == a.data.manifest.format_version
    assert body["uptime_s"] >= 5
    assert health_of(None, t0)[0] == 503 and health_of(None, t0)[1]["status"] == "loading"

    manifest = a.data.path / "manifest.json"
    good = manifest.read_bytes()
    manifest.write_bytes(good[: len(good) // 2])  # a damaged build on disk
    os.utime(tmp_path / "index" / "CURRENT")  # (the check reads a manifest once per change of CURRENT)
    code, body = health_of(a, t0)
    assert code == 503 and body["status"] == "error" and "manifest.json" in body["reason"]
    manifest.write_bytes(good)
    current = tmp_path / "index" / "CURRENT"
    name = current.read_text()
    current.unlink()  # the index folder lost its index
    code, body = health_of(a, t0)
    assert code == 503 and "索引缺失" in body["reason"] and "Traceback" not in json.dumps(body)
    current.write_text(name)
    assert health_of(a, t0)[0] == 200

    class Broken:
        def health(self):
            raise RuntimeError("disk gone")
    code, body = health_of(Broken(), t0)
    assert code == 503 and "disk gone" in body["reason"]


def test_health_endpoint_answers_before_the_app(tmp_path, hash_assistant):
    """The ASGI middleware answers GET /healthz as JSON and passes every other request on."""
    import asyncio

    seen = []

    async def app(scope, receive, send):
        seen.append(scope["path"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    def call(path, method="GET", who=hash_assistant):
        out = []

        async def send(msg):
            out.append(msg)

        async def receive():
            return {"type": "http.request", "body": b""}
        mw = HealthEndpoint(app, lambda: who, time.monotonic())
        asyncio.run(mw({"type": "http", "path": path, "method": method, "headers": []}, receive, send))
        return out[0]["status"], b"".join(m.get("body", b"") for m in out[1:])

    code, body = call("/healthz")
    assert code == 200 and json.loads(body)["status"] == "ok"
    assert call("/healthz", who=None)[0] == 503
    assert call("/healthz", method="POST")[0] == 405
    assert call("/healthz", method="HEAD") == (200, b"")
    assert call("/") == (204, b"") and seen == ["/"]


def test_loading_server_holds_the_port_then_frees_it():
    import socket
    import urllib.error
    import urllib.request

    from .server import free_port
    port = free_port()
    holder = LoadingServer("127.0.0.1", port, time.monotonic())
    try:
        for path, kind in (("/healthz", "application/json"), ("/", "text/html")):
            with pytest.raises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)
            assert e.value.code == 503 and e.value.headers["Content-Type"].startswith(kind)
            body = e.value.read().decode("utf-8")
            assert "正在加载索引" in body
            assert kind == "application/json" or "http-equiv='refresh'" in body  # the page reloads itself
    finally:
        holder.close()
    with socket.socket() as s:  # the app can take the port over (as uvicorn does: SO_REUSEADDR)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
