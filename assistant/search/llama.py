"""Our retrieval as a llama-index retriever, so llama-index users can plug it into their own pipelines.

`NoticeRetriever` wraps a search function (question -> ranked passages, as `Assistant.as_retriever` gives it)
and returns llama-index nodes: the passage text, with the notice id, title, section path and character span
in the node's metadata and the final score as the node's score. Imported only when asked for (llama-index is
heavy to import).
"""
from __future__ import annotations

from typing import Callable, Sequence

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from ..types import RankedPassage


def to_node(p: RankedPassage) -> NodeWithScore:
    """One ranked passage as a scored llama-index node; its id is stable (notice id and span).
    Example: a passage of notice "ab12" at 100-180 -> node id "ab12:100-180", metadata notice_id "ab12"."""
    node = TextNode(
        id_=f"{p.notice_id}:{p.start}-{p.end}", text=p.text,
        metadata={"notice_id": p.notice_id, "title": p.title, "section": p.section, "start": p.start,
                  "end": p.end, "rank": p.rank, "bm25_rank": p.bm25_rank, "dense_rank": p.dense_rank},
        # the LLM prompt sees title and section; ranks and span are for the caller
        excluded_llm_metadata_keys=["notice_id", "start", "end", "rank", "bm25_rank", "dense_rank"],
        excluded_embed_metadata_keys=["notice_id", "start", "end", "rank", "bm25_rank", "dense_rank"],
    )
    return NodeWithScore(node=node, score=float(p.score))


class NoticeRetriever(BaseRetriever):
    def __init__(self, search: Callable[[str], Sequence[RankedPassage]], **kwargs) -> None:
        self._search_fn = search
        super().__init__(**kwargs)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [to_node(p) for p in self._search_fn(query_bundle.query_str)]
