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
        from gradio_client import Client
        d = Client(url, auth=("staff", "s3cret"), verbose=False).predict("搬迁", [], 2, api_name="/ask")
        assert len(d["passages"]) == 2
