"""Start the app in a subprocess on a free local port (hash embedder, index in a temp folder)."""
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(index_dir: Path, corpus_dir: Path | None = None, backend: str = "hash", extra_env=None,
                timeout: float = 180.0, args: tuple[str, ...] = (), port: int | None = None,
                data_dir: Path | None = None):
    """The app on `port` (a free one by default); staff data (feedback) in `data_dir`, by default beside the index."""
    port = port or free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ASSISTANT_EMBEDDING_BACKEND": backend,
           "ASSISTANT_INDEX_DIR": str(index_dir), "ASSISTANT_CORPUS_DIR": str(corpus_dir or ROOT / "corpus"),
           "ASSISTANT_DATA_DIR": str(data_dir or index_dir.parent / "userdata"), **(extra_env or {})}
    log = open(index_dir.parent / f"app-{port}.log", "w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port), *args], env=env, stdout=log,
                            stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"app exited: {(index_dir.parent / f'app-{port}.log').read_text()[-2000:]}")
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except urllib.error.HTTPError as e:  # answering (e.g. 401 behind auth); 503: still loading the index
                if e.code != 503:
                    break
                time.sleep(0.5)
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("app did not start in time")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
