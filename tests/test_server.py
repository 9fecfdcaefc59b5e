import pytest

from .server import running_app

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    with running_app(tmp_path_factory.mktemp("srv") / "index") as url:
        yield url


def test_ask_endpoint_with_gradio_client(app_url):
    from gradio_client import Client
    c = Client(app_url, verbose=False)
    d = c.predict("红石桥乡社会扶贫网注册了多少爱心人士?", [], 5, api_name="/ask")
    assert set(d) >= {"text", "abstained", "rewritten_question", "citations", "passages", "timings"}
    assert not d["abstained"] and "2136人" in d["text"]
    f = c.predict("那红石桥乡呢?", ["安定区农村脱贫人口小额信贷逾期情况如何?"], 3, api_name="/ask")
    assert f["rewritten_question"] != "那红石桥乡呢?"
    assert len(f["passages"]) == 3


def test_bad_question_is_a_plain_message(app_url):
    from gradio_client import Client
    c = Client(app_url, verbose=False)
    with pytest.raises(Exception) as e:
        c.predict("   ", [], 5, api_name="/ask")
    assert "请输入一个问题" in str(e.value)
    assert "Traceback" not in str(e.value)


def test_health_endpoint_on_the_running_app(app_url, tmp_path_factory):
    """GET /healthz: 200 with the build answered from; 503 naming the problem when the index folder loses its
    current build (restored after)."""
    import json
    import urllib.error
    import urllib.request
    r = urllib.request.urlopen(app_url + "healthz", timeout=10)
    d = json.loads(r.read().decode("utf-8"))
    assert r.status == 200 and r.headers["Content-Type"].startswith("application/json")
    assert d["status"] == "ok" and d["backend"] == "files" and d["notices"] == 5 and d["passages"] > 50
    assert d["build"] and d["format_version"] >= 4 and d["uptime_s"] > 0
    index = next(p for p in tmp_path_factory.getbasetemp().glob("srv*/index") if (p / "builds" / d["build"]).is_dir())
    current = index / "CURRENT"
    name = current.read_text()
    current.unlink()
    try:
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(app_url + "healthz", timeout=10)
        body = json.loads(e.value.read().decode("utf-8"))
        assert e.value.code == 503 and body["status"] == "error" and "索引缺失" in body["reason"]
    finally:
        current.write_text(name)
    assert urllib.request.urlopen(app_url + "healthz", timeout=10).status == 200


def test_binds_loopback_only(app_url):
    assert app_url.startswith("http://127.0.0.1:")


def _config(url):
    import json
    import urllib.request
    return json.loads(urllib.request.urlopen(url + "config", timeout=5).read().decode())


def test_open_without_auth(app_url):
    assert not _config(app_url).get("auth_required")


def test_auth_from_env(tmp_path):
    with running_app(tmp_path / "index", extra_env={"QA_AUTH": "staff:s3cret"}, args=("--auth-env", "QA_AUTH")) as url:
        import urllib.error
        with pytest.raises(urllib.error.HTTPError) as e:
            _config(url)
        assert e.value.code == 401
        import urllib.request  # the health check needs no login (a load balancer has none); it shows no text
        assert urllib.request.urlopen(url + "healthz", timeout=10).status == 200
        from gradio_client import Client
        d = Client(url, auth=("staff", "s3cret"), verbose=False).predict("搬迁", [], 2, api_name="/ask")
        assert len(d["passages"]) == 2
