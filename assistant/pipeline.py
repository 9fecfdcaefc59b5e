"""The pipeline: corpus -> chunks -> index (built or loaded) -> retrieve -> rerank -> answer -> checked citations.

`Assistant` is what the CLI and the UI call. It holds no global state; build one per process and share it
(asking is read-only and thread-safe).
"""
from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator

from .answer.base import Event, Final, Turn, final_of
from .answer.clarify import clarify_text, needs_clarifying, suggestions
from .answer.extractive import ExtractiveAnswerer
from .answer.followup import another_thing, rewrite
from .config import Config
from .errors import AssistantError, CorpusError, FileRejected, IndexError_
from .ingest.chunking import chunk_notice
from .ingest.corpus import (
    INGEST_VERSION,
    file_hash,
    ingest_bytes,
    read_corpus,
    rejected_report,
)
from .ingest.library import library_lock, log_change, move_to_trash, safe_name, store
from .ingest.readers import Limits
from .ingest.regions import Gazetteer
from .question import MEASURES, analyse
from .search.embed import Embedder, make_embedder
from .search.index import (
    FORMAT_VERSION,
    IndexData,
    build_index,
    build_lock,
    current_build,
    current_stamp,
    load_index,
    read_ingested,
    read_manifest,
    stale_reason,
    tidy_builds,
)
from .search.query import QueryTerms
from .search.rerank import CrossEncoderReranker, cited_first, rerank, rerank_by_evidence
from .search.retrieve import Retriever
from .search.stores import make_store
from .search.scoring import Idf
from .text import STOPWORDS, Tokenizer, arabic_years, has_cjk
from .types import Answer, FileReport, Filters, Notice, RankedPassage
from .validate import validate_request

log = logging.getLogger(__name__)


def usable_index(cfg: Config, embedder: Embedder) -> IndexData | None:
    """The current index when it is present, fresh for this corpus and config, and intact; else None, with the
    reason logged in one line (stale, damaged file, other format version…)."""
    build = current_build(cfg.index_dir)
    if build is None:
        return None
    try:
        reason = stale_reason(read_manifest(build), cfg, embedder.name)
        if reason is None:
            data = load_index(build)
            tidy_builds(cfg.index_dir, build)
            return data
        log.warning("索引需要重建:%s", reason)
    except IndexError_ as e:
        log.warning("%s(%s)", e.zh, e.detail)
    return None


def ensure_index(cfg: Config, embedder: Embedder, tokenizer: Tokenizer, gaz: Gazetteer,
                 rebuild: bool = False, show_progress: bool = False,
                 progress: Callable[[int, int], None] | None = None,
                 fresh: dict[str, tuple[str, FileReport, Notice | None]] | None = None) -> IndexData:
    """Load the current index; rebuild it when missing, stale (corpus, model or chunking changed) or damaged.

    A rebuild after a change of the corpus reads again only the files whose bytes changed (when the reading
    rules are the same) and embeds only passages whose text is new (the embedding cache).
    `rebuild=True` reads every file again; `fresh` holds files just read by the caller (name -> (hash of the
    bytes, report, notice)), so an added file is not read twice.

    One build at a time per index folder: a second caller waits for the first (up to build_wait_seconds) and
    then uses what it built when that is fresh.
    """
    if not rebuild:
        data = usable_index(cfg, embedder)
        if data is not None:
            return data
    with build_lock(cfg.index_dir, cfg.build_wait_seconds) as lock:
        if lock.waited:  # another process just built: use its index if it serves this corpus and config
            data = usable_index(cfg, embedder)
            if data is not None:
                return data
        previous = None if rebuild else _reusable_files(cfg)
        corpus = read_corpus(cfg.corpus_dir, gaz, Limits.from_config(cfg), {**(previous or {}), **(fresh or {})})
        if not corpus.notices:
            raise CorpusError(f"通报目录中没有可用的通报:{cfg.corpus_dir}", f"no readable notice in {cfg.corpus_dir}")
        passages = [p for n in corpus.notices
                    for p in chunk_notice(n.id, n.text, cfg.chunk_min_chars, cfg.chunk_max_chars, n.heading_starts)]
        path = build_index(cfg, corpus.notices, passages, embedder, tokenizer, show_progress=show_progress,
                           reports=corpus.reports, files=corpus.files, progress=progress, lock=lock)
    return load_index(path)


def _reusable_files(cfg: Config) -> dict[str, tuple[str, FileReport, Notice | None]] | None:
    """What the current build read from each file, when it was read by the same rules (and its files are
    intact): unchanged files are not read again."""
    build = current_build(cfg.index_dir)
    if build is None:
        return None
    try:
        m = read_manifest(build)
        if m.ingest_version == INGEST_VERSION and m.format_version == FORMAT_VERSION:
            return _previous_files(build, m.files)
    except IndexError_ as e:
        log.info("reading every file again: %s", e.detail or e.zh)
    return None


def _previous_files(build: Path, files: dict[str, str]) -> dict[str, tuple[str, FileReport, Notice | None]]:
    notices, reports = read_ingested(build)
    by_id = {n.id: n for n in notices}
    return {r.path: (files.get(r.path, ""), r, by_id.get(r.notice_id)) for r in reports
            if r.status == "ok" and r.path in files}


@dataclass(frozen=True)
class Live:
    """Everything that depends on the loaded index, replaced as one when notices are added or removed: a
    question takes the current Live once and uses only it, so it never sees half of a change."""

    data: IndexData
    retriever: Retriever
    idf: Idf
    query_terms: QueryTerms
    answerer: ExtractiveAnswerer
    llm: Any = None  # the generated-answer stage (answer/llm.py), only when a server is configured


@dataclass(frozen=True)
class Health:
    """Whether this assistant can answer, and from what (for a load balancer's health check and for staff).

    `status`: "ok"; "reloading" (answering from the previous build while another worker's new build loads: still
    healthy); "error" (`reason` says why, in Chinese: the index is missing or damaged, a new build could not be
    loaded, the Milvus collection is gone or unreachable)."""

    status: str
    reason: str
    build: str  # the build folder answered from
    format_version: int
    corpus_hash: str
    built_at: str
    notices: int
    passages: int
    backend: str  # "files" or "milvus"

    @property
    def ok(self) -> bool:
        return self.status != "error"

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict
        return asdict(self)


def place_names(data: IndexData) -> tuple[str, ...]:
    """The places the notices are about (their provinces, cities, counties and townships), for English questions."""
    return data.notices.place_names()  # from the build's columns, without reading every notice


class Assistant:
    def __init__(self, cfg: Config, data: IndexData, embedder: Embedder, tokenizer: Tokenizer, gaz: Gazetteer,
                 cross: CrossEncoderReranker | None = None) -> None:
        self.cfg = cfg
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.gaz = gaz
        self.cross = cross
        self._chat = None  # one client of the LLM server for every Live; nothing imported without llm_base_url
        if cfg.llm_base_url:
            from .answer.llm import OpenAIChat
            self._chat = OpenAIChat(cfg)
        self._live = self._make_live(data)
        self._changes = threading.Lock()  # one addition or removal at a time
        self.paths = cfg.staff_paths()
        # Several workers may serve one index folder (README, "Serving more users"): the build this one answers from
        # is checked against CURRENT on every question (one stat) and another worker's build is loaded when it
        # appears. Only when `data` is the index folder's own build: an assistant made from another folder's data
        # never swaps it for this folder's.
        index_dir = Path(cfg.index_dir).resolve()
        self._shared = Path(data.path).resolve().parent == index_dir / "builds"
        self._seen = current_stamp(cfg.index_dir)
        self._reload = threading.Lock()
        self._reload_error: tuple[Any, str] | None = None  # (stamp of CURRENT, why that build could not be loaded)
        self._manifest_seen: tuple[Any, str | None] = (None, None)  # (stamp, problem of CURRENT's manifest)

    def _make_live(self, data: IndexData) -> Live:
        idf = Idf(data)
        extractive = ExtractiveAnswerer(self.cfg, data, self.tokenizer, idf, is_place=lambda w: bool(self.gaz.find(w)))
        llm = None
        if self._chat is not None:
            from .answer.llm import LLMAnswerer
            llm = LLMAnswerer(self.cfg, data, self.tokenizer, self.gaz, extractive, chat=self._chat)
        previous = self._live.retriever.store if getattr(self, "_live", None) is not None else None
        store = make_store(self.cfg, data, self.tokenizer, previous)
        terms = QueryTerms(self.tokenizer, idf, names=place_names(data))
        return Live(data, Retriever(data, self.embedder, self.tokenizer, self.cfg, store), idf, terms, extractive, llm)

    @property
    def data(self) -> IndexData:
        return self._live.data

    @property
    def retriever(self) -> Retriever:
        return self._live.retriever

    @property
    def idf(self) -> Idf:
        return self._live.idf

    @property
    def query_terms(self) -> QueryTerms:
        return self._live.query_terms

    @property
    def answerer(self) -> ExtractiveAnswerer:
        return self._live.answerer

    @property
    def llm(self):
        """The LLM answerer, or None when no server is configured."""
        return self._live.llm

    @property
    def modes(self) -> tuple[str, ...]:
        """Answer modes available: "llm" (generated, verified) first when configured, then "extractive"."""
        return ("llm", "extractive") if self._chat is not None else ("extractive",)

    @classmethod
    def load(cls, corpus_dir: str | Path | None = None, index_dir: str | Path | None = None,
             config: Config | None = None, rebuild: bool = False, show_progress: bool = False,
             embedder: Embedder | None = None) -> "Assistant":
        cfg = config or Config.from_env()
        cfg = cfg.with_overrides(corpus_dir=corpus_dir, index_dir=index_dir)
        embedder = embedder or make_embedder(cfg)
        tokenizer = Tokenizer()
        gaz = Gazetteer.load()
        data = ensure_index(cfg, embedder, tokenizer, gaz, rebuild=rebuild, show_progress=show_progress)
        cross = CrossEncoderReranker(cfg.reranker_model) if cfg.reranker_model else None
        return cls(cfg, data, embedder, tokenizer, gaz, cross)

    # ------------------------------------------------------------------ queries

    def notices(self) -> list[Notice]:
        return sorted(self.data.notices.values(), key=lambda n: (n.date or "", n.title))

    def passages_of(self, notice_id: str) -> list:
        return self.data.by_notice.get(notice_id, [])

    def section_text(self, notice_id: str, pos: int) -> str | None:
        """The whole section (all passages sharing the heading path) around a position in a notice."""
        data = self.data
        ps = data.by_notice.get(notice_id, [])
        here = next((p for p in ps if p.start <= pos < p.end), None)
        if here is None:
            return None
        same = [p for p in ps if p.section == here.section]
        n = data.notices[notice_id]
        return n.text[min(p.start for p in same):max(p.end for p in same)]

    def warm_up(self) -> None:
        """Load models and caches so the first real question is fast: the embedder, jieba's POS tagger (a
        count question), the English dictionary (an English question) and the filters' lookup (a filtered one)."""
        self.tokenizer.warm_up()
        _ = self.data.lookup  # search/lookup.py: 1.4 s for 100k notices, made once
        for q in ("易地扶贫搬迁共搬迁了多少户?", "How many households were relocated?"):
            self.ask(q, mode="extractive")
        _ = self.query_terms.english.pinyin, self.query_terms.english.containing  # English place names

    def ask(self, question: str, history: list | None = None, top_k: int | None = None,
            filters: Filters | dict | None = None, retriever: str | None = None, mode: str | None = None) -> Answer:
        """The answer to a question. `history` holds the earlier questions of the conversation (strings, or
        {"question", "text"} dicts / Turns when their answers are known); `mode` is "extractive" or "llm"
        (default: the first of `modes`). Every argument is checked first (validate.validate_request): a bad one
        raises BadQuestion, BadParameter or BadFilter with a Chinese message naming it. Only the last
        `max_history_turns` earlier questions are used."""
        return final_of(self.ask_stream(question, history, top_k, filters, retriever, mode))

    def ask_stream(self, question: str, history: list | None = None, top_k: int | None = None,
                   filters: Filters | dict | None = None, retriever: str | None = None, mode: str | None = None
                   ) -> Iterator[Event]:
        """Like `ask`, as events (answer/base.py): verified sentences as they are generated, then `Final`."""
        t_all = time.perf_counter()
        timings: dict[str, float] = {}
        self._notice_other_builds()
        live = self._live  # one index for the whole question, even if notices are added meanwhile
        req = validate_request(self.cfg, question, history, top_k, filters, retriever, known_ids=live.data.notices,
                               mode=mode, modes=self.modes)
        q, top_k, filters, retriever, mode = req.question, req.top_k, req.filters, req.retriever, req.mode
        turns = [Turn(hq, ha) for hq, ha in req.history]
        history = [t.question for t in turns]

        t = time.perf_counter()
        rq = arabic_years(rewrite(q, history, self.gaz))  # "二〇一七年" asks for what the notices write 2017年
        qtokens = live.query_terms(rq)
        # read with its same-sound typos corrected, as it is searched: a place written 钧川镇 is the notices' 均川镇
        info = analyse(live.query_terms.corrected(rq), self.gaz, qtokens, self.tokenizer.common_word)
        own, own_terms = info, qtokens  # what the question's own words ask (a follow-up's differ from rq's)
        if rq != q:  # a follow-up asks what its own words ask ("其中哪个镇最高?"), about the earlier topic
            own = analyse(live.query_terms.corrected(arabic_years(q)), self.gaz, common=self.tokenizer.common_word)
            own_terms = live.query_terms(q)
            if own.kind not in ("fact",):
                info = replace(own, places=info.places or own.places, years=info.years or own.years)
            elif info.kind == "count" and another_thing(q, own.places, history[-1]):
                # "土鸡呢?" after "…多少头黑毛土猪?": another thing, perhaps counted in another unit; a rate, an amount
                # or a measure stays what was asked ("村级的呢?" after "…整改完成率是多少?" asks a rate: 89.6%, not 289个)
                kept = info.unit if info.unit in MEASURES or (info.unit or "").endswith("元") else None
                info = replace(info, unit=kept, counted="")
        if info.places:  # a township no notice writes, typed with a same-sound character (羊芩乡): the notices' one
            info = replace(info, places=tuple(live.answerer.gate.sounds_like(p) or p for p in info.places))
        english = not has_cjk(rq)
        if english and info.kind == "count" and not info.counted:  # "How many problems…" counts 问题
            info = replace(info, counted=live.query_terms.english.counted(rq), counted_translated=True)
        if english and info.kind == "count" and live.query_terms.english.unread_verbs(rq):
            info = replace(info, predicate_unread=True)
        timings["rewrite"] = (time.perf_counter() - t) * 1000

        hits = live.retriever.search(rq, top_k, filters, mode=retriever, timings=timings,
                                     qtokens=qtokens + self.tokenizer.expansions(qtokens) + live.query_terms.expansions(rq))
        t = time.perf_counter()
        hits = rerank(hits, rq, info, qtokens, live.data, self.cross)
        focus = own_terms if rq != q else None
        if english:  # each word's translation as the passages found for it write it
            qtokens = live.query_terms.in_context(rq, qtokens, [h.passage.text for h in hits[:5]])
        # an English question's word checks ("does the question name the noun after this figure?") read its
        # Chinese terms too, and the levels it names (village-level -> 村级: the level a figure must be said of)
        said = f"{rq} {' '.join(qtokens + live.query_terms.english.levels(rq))}" if english else rq
        evidence = live.answerer.evidence_cache(info, qtokens, said, focus, english)
        hits = rerank_by_evidence(hits, lambda h: ev.combined if (ev := evidence(h)) else None)
        timings["rerank"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        checked = (int(live.data.allowed(filters).sum()) if filters.active  # on the notices' short fields
                   else len(live.data.notices))  # no loop over every notice per question without filters
        answerer = live.llm if mode == "llm" else live.answerer
        case = needs_clarifying(q, bool(history), own, [t for t in own_terms if t not in STOPWORDS])
        if case:  # too short to answer: concrete questions to choose from, counted as an abstention
            text = clarify_text(case, q, suggestions(case, q, info, hits, live.data.cards))
            timings["total"] = (time.perf_counter() - t_all) * 1000
            yield Final(Answer(question=q, text=text, abstained=True, rewritten_question=rq, notices_checked=checked,
                               passages=tuple(self._ranked(live.data, h) for h in hits[:top_k]),
                               timings={k: round(v, 2) for k, v in timings.items()}))
            return
        for event in answerer.stream(q, rq, info, qtokens, hits, checked, evidence, history=turns):
            if not isinstance(event, Final):
                yield event
                continue
            answer = event.answer
            timings["answer"] = (time.perf_counter() - t) * 1000
            timings["total"] = (time.perf_counter() - t_all) * 1000
            timings.update(answer.timings)
            if not answer.abstained:  # the sources list first what the answer quotes
                hits = cited_first(hits, [(c.notice_id, c.start) for c in answer.citations if c.origin == "text"])
            passages = tuple(self._ranked(live.data, h) for h in hits[:top_k])
            yield Final(replace(answer, passages=passages, timings={k: round(v, 2) for k, v in timings.items()}))

    def as_retriever(self, top_k: int | None = None, filters: Filters | dict | None = None):
        """A llama-index BaseRetriever over this assistant's retrieval (rewrite, hybrid search, rerank): its
        nodes carry notice id, title, section path, span and score (search/llama.py; needs llama-index-core)."""
        from .search.llama import NoticeRetriever

        def search(question: str) -> tuple:
            return self.ask(question, top_k=top_k, filters=filters, mode="extractive").passages
        return NoticeRetriever(search)

    # ------------------------------------------------------------------ adding and removing notices

    def add_files(self, files: list[tuple[str, bytes]], user: str = "",
                  progress: Callable[[int, int], None] | None = None) -> list[FileReport]:
        """Add originals (name, bytes) to the corpus folder and index them, embedding only their passages.

        Each file is read and checked first (type by content, size, body left after cleaning); a file that
        fails, or holds the same body as a notice already indexed, is reported and not stored. Stored files
        keep a safe name, and the addition is logged with time and user. Questions asked meanwhile are
        answered from the index as it was, and from the new one as soon as it is in place.
        Returns one report per file given, in order.
        """
        limits = Limits.from_config(self.cfg)
        corpus_dir = Path(self.cfg.corpus_dir)
        out: list[FileReport | None] = []
        fresh: dict[str, tuple[str, FileReport, Notice | None]] = {}
        with self._changes, library_lock(self.paths.library_lock, self.cfg.build_wait_seconds):
            self.refresh()  # another worker's additions first: its notices are known, its file names taken
            known = {n.id: n.path for n in self.data.notices.values()}
            taken = {p.name for p in corpus_dir.iterdir()}
            for name, data in files:
                shown = Path(str(name).replace("\\", "/")).name or str(name)
                try:
                    safe = safe_name(shown, taken)
                    notice, report = ingest_bytes(safe, data, self.gaz, limits)
                except FileRejected as e:
                    out.append(rejected_report(shown, e))
                    continue
                if notice.id in known:
                    out.append(replace(report, status="duplicate", duplicate_of=known[notice.id]))
                    continue
                try:
                    store(corpus_dir, safe, data)
                except OSError as e:
                    out.append(FileReport(path=shown, status="error", error=f"无法保存文件:{shown}", code="store"))
                    log.warning("cannot store %s: %r", safe, e)
                    continue
                taken.add(safe)
                known[notice.id] = safe
                fresh[safe] = (file_hash(data), report, notice)
                log_change(corpus_dir, "add", user, safe, notice.id, notice.title, log_path=self.paths.changes_log,
                           uploaded_as=shown)
                out.append(None)
            if fresh:
                data = ensure_index(self.cfg, self.embedder, self.tokenizer, self.gaz, progress=progress,
                                    fresh=fresh)
                self._switch(data)
        by_path = {r.path: r for r in self.data.reports}
        names = iter(fresh)
        return [r if r is not None else by_path.get(next(names)) for r in out]  # type: ignore[misc]

    def remove_notice(self, notice_id: str, user: str = "",
                      progress: Callable[[int, int], None] | None = None) -> list[str]:
        """Remove a notice: its original (and any file holding the same text) moves to the trash folder beside
        the corpus, the removal is logged, and the index is rebuilt without it. Returns the files moved."""
        with self._changes, library_lock(self.paths.library_lock, self.cfg.build_wait_seconds):
            self.refresh()  # another worker may have added it (or removed it) meanwhile
            n = self.data.notices.get(notice_id)
            if n is None:
                raise CorpusError(f"没有这份通报:{notice_id}", f"unknown notice id {notice_id!r}")
            if len(self.data.notices) == 1:
                raise CorpusError("不能删除最后一份通报(通报库不能为空)", "last notice")
            corpus_dir = Path(self.cfg.corpus_dir)
            names = [n.path] + [r.path for r in self.data.reports
                                if r.status == "duplicate" and r.duplicate_of == n.path]
            moved = []
            for name in names:
                if (corpus_dir / name).exists() or (corpus_dir / name).is_symlink():
                    dest = move_to_trash(corpus_dir, name, self.paths.trash)
                    moved.append(name)
                    log_change(corpus_dir, "remove", user, name, n.id, n.title, log_path=self.paths.changes_log,
                               trashed_as=str(dest.name))
            data = ensure_index(self.cfg, self.embedder, self.tokenizer, self.gaz, progress=progress)
            self._switch(data)
        return moved

    # ------------------------------------------------------------------ several workers, one index

    def _switch(self, data: IndexData) -> None:
        """Answer from `data` (a build this worker just made or loaded) from the next question on."""
        with self._reload:
            self._live = self._make_live(data)
            self._seen = current_stamp(self.cfg.index_dir)
            self._reload_error = None

    def _notice_other_builds(self) -> None:
        """Per question: one stat of CURRENT. When another worker switched in a build, it is loaded in the
        background; questions are answered from the current build until it is ready."""
        if not self._shared or current_stamp(self.cfg.index_dir) == self._seen or self._reload.locked():
            return
        threading.Thread(target=self._refresh_quietly, name="index-reload", daemon=True).start()

    def _refresh_quietly(self) -> None:
        try:
            self.refresh()
        except Exception as e:  # noqa: BLE001 - a background thread: the reason is kept for health()
            log.warning("重新加载索引失败:%r", e)

    def refresh(self) -> bool:
        """Load the build that CURRENT names when it is not the one answered from (another worker added or removed
        notices, or rebuilt): True when the answers now come from it. A build that cannot be loaded leaves the
        current one in use, and health() reports why until CURRENT changes again."""
        if not self._shared:
            return False
        with self._reload:
            stamp = current_stamp(self.cfg.index_dir)
            build = current_build(self.cfg.index_dir)
            if build is None or build.name == self.data.path.name:
                self._seen = stamp
                return False
            try:
                m = read_manifest(build)
                if m.embedding_model != self.embedder.name:
                    raise IndexError_(f"新索引使用的向量模型({m.embedding_model})与本进程的({self.embedder.name})不同,"
                                      f"请用相同配置启动所有进程", f"build {build.name}")
                live = self._make_live(load_index(build))
            except AssistantError as e:
                log.warning("无法加载新索引 %s:%s(%s)", build.name, e.zh, e.detail)
                self._seen, self._reload_error = stamp, (stamp, e.zh)
                return False
            self._live, self._seen, self._reload_error = live, stamp, None
            log.info("已加载其他进程建立的索引 %s", build.name)
            return True

    def health(self) -> Health:
        """Whether this assistant can answer (cheap enough for a health check every few seconds: a stat of
        CURRENT, its manifest read once per change, one call to Milvus)."""
        live = self._live
        m = live.data.manifest
        store = live.retriever.store
        status, reason = "ok", ""
        if self._shared:
            stamp = current_stamp(self.cfg.index_dir)
            build = current_build(self.cfg.index_dir) if stamp is not None else None
            if build is None:
                status, reason = "error", f"索引缺失:索引目录 {self.cfg.index_dir} 中没有当前索引(CURRENT 缺失、无效或指向不存在的索引)"
            elif self._reload_error is not None and self._reload_error[0] == stamp:
                status, reason = "error", f"无法加载其他进程建立的新索引 {build.name}:{self._reload_error[1]}"
            else:
                if self._manifest_seen[0] != stamp:
                    try:
                        read_manifest(build)
                        problem = None
                    except IndexError_ as e:
                        problem = f"索引 {build.name} 损坏:{e.zh}"
                    self._manifest_seen = (stamp, problem)
                if self._manifest_seen[1]:
                    status, reason = "error", self._manifest_seen[1]
                elif build.name != live.data.path.name:
                    status = "reloading"
        if status != "error":
            problem = store.problem()
            if problem:
                status, reason = "error", problem
        return Health(status, reason, live.data.path.name, m.format_version, m.corpus_hash, m.built_at,
                      len(live.data.notices), len(live.data.passages), store.kind)

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _ranked(data: IndexData, h) -> RankedPassage:
        n = data.notice_of(h.passage)
        p = h.passage
        return RankedPassage(n.id, n.title, p.section_label, p.text, round(h.score, 4), p.start, p.end,
                             h.bm25_rank, h.dense_rank, round(h.fused_score, 4), h.rank)


__all__ = ["Assistant", "Filters", "Health", "ensure_index", "usable_index"]
