"""Our retrieval as a llama-index retriever, composed into a llama-index query engine with its MockLLM."""
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.llms import MockLLM
from llama_index.core.query_engine import RetrieverQueryEngine


def test_as_retriever_returns_nodes_with_provenance(hash_assistant):
    r = hash_assistant.as_retriever(top_k=3)
    assert isinstance(r, BaseRetriever)
    nodes = r.retrieve("红石桥乡社会扶贫网注册了多少爱心人士?")
    assert 1 <= len(nodes) <= 3
    want = hash_assistant.ask("红石桥乡社会扶贫网注册了多少爱心人士?", top_k=3, mode="extractive").passages
    assert [n.node.get_content() for n in nodes] == [p.text for p in want]
    assert [n.score for n in nodes] == [p.score for p in want]
    for n in nodes:
        m = n.node.metadata
        notice = hash_assistant.data.notices[m["notice_id"]]
        assert notice.text[m["start"]:m["end"]] == n.node.get_content()
        assert m["title"] == notice.title and isinstance(m["section"], str)
    assert "爱心人士" in nodes[0].node.get_content()


def test_filters_reach_the_retriever(hash_assistant):
    nodes = hash_assistant.as_retriever(filters={"region": "甘肃"}).retrieve("易地扶贫搬迁")
    assert nodes and all("甘肃" in hash_assistant.data.notices[n.node.metadata["notice_id"]].province
                         for n in nodes)


def test_composes_into_a_query_engine_with_the_mock_llm(hash_assistant):
    engine = RetrieverQueryEngine.from_args(hash_assistant.as_retriever(top_k=2), llm=MockLLM(max_tokens=8))
    resp = engine.query("陕西省易地扶贫搬迁共搬迁了多少户?")
    assert isinstance(str(resp), str) and str(resp)
    assert len(resp.source_nodes) == 2
    assert {n.node.metadata["notice_id"] for n in resp.source_nodes} <= set(hash_assistant.data.notices)
