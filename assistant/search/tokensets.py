"""The token sets of the texts the answer stage scores, tokenised once with the build instead of per question.

Answering a question scores the sentences of its best passages by how many question terms each holds
(answer/extractive.py): every sentence, the passage's context (title, issuer, region, heading path) and the
notice's opening lines were cut into words by jieba for every question, ~50 texts a question, the largest
per-question cost after embedding the question. The build tokenises them once, with the same Tokenizer and the
same folding (`scored_texts` names them), and keeps each distinct text's set of tokens under a 64-bit hash of the
text. A question then looks each text up (a binary search) and tokenises only what is not there (a clause, a
text of a newer notice): the sets are exactly what `Tokenizer.tokens` gives that text, by construction.

Files (in the build folder, memory-mapped): `tokensets/keys.npy` (sorted uint64 hashes), `offsets.npy` (int64,
one more than keys), `ids.npy` (int32 token ids, each set sorted), `vocab.json` (token strings by id).

Example: ts = TokenSets.of({"搬迁24.93万户": ["搬迁", "24.93", "万户", "户"]}); ts.get("搬迁24.93万户") ->
{"搬迁", "24.93", "万户", "户"}; ts.get("别的") -> None.
"""
from __future__ import annotations

import hashlib
import json
from array import array
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

import numpy as np

from ..text import fold, sentence_spans
from ..types import Notice, Passage

LEAD_CHARS = 160  # a notice's opening says who and what it is about (its 导语)
FILES = ("keys.npy", "offsets.npy", "ids.npy", "vocab.json")


def context_text(notice: Notice, passage: Passage) -> str:
    """What a sentence inherits from where it stands: the notice's title, issuer and region, and the heading path.
    "陕西…什么时候反馈的?" is answered by a sentence of the Shaanxi notice that never repeats 陕西."""
    return f"{notice.title} {notice.issuer} {notice.region} {passage.section_label}"


def scored_texts(notice: Notice, passages: Sequence[Passage]) -> Iterator[str]:
    """The folded texts the answer stage tokenises for these passages of a notice: the notice's opening, each
    passage's context and each of its sentences (as answer/extractive.py's sentence_evidence cuts them).
    Example: a notice with one passage "甲乙丙丁。戊己庚辛。" -> its opening, the context, "甲乙丙丁。", "戊己庚辛。"."""
    yield fold(notice.text[:LEAD_CHARS])
    for p in passages:
        yield fold(context_text(notice, p))
        for s, e in sentence_spans(p.text):
            if e - s >= 4:  # shorter sentences are never scored
                yield fold(p.text[s:e])


def text_key(text: str) -> int:
    """The 64-bit hash a text is kept under. Example: text_key("") -> 13020603013274838756 (blake2b, 8 bytes)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


class TokenSets:
    """Distinct texts' token sets by the hash of the text. Read-only; safe to share between threads."""

    def __init__(self, keys: np.ndarray, offsets: np.ndarray, ids: np.ndarray, vocab: list[str]) -> None:
        self.keys, self.offsets, self.ids, self.vocab = keys, offsets, ids, vocab

    @classmethod
    def of(cls, tokens: Mapping[str, Sequence[str]]) -> "TokenSets":
        """From text -> its tokens (each text once)."""
        return cls.of_pairs((text_key(t), toks) for t, toks in tokens.items())

    @classmethod
    def of_pairs(cls, pairs: Iterable[tuple[int, Sequence[str]]]) -> "TokenSets":
        """From (text_key, tokens) pairs; a key given twice keeps its first set (the same text, the same tokens)."""
        vocab: dict[str, int] = {}
        keys = array("Q")
        lengths = array("q")
        flat = array("i")
        seen: set[int] = set()
        for k, toks in pairs:
            if k in seen:
                continue
            seen.add(k)
            ids = sorted({vocab.setdefault(t, len(vocab)) for t in toks})
            keys.append(k)
            lengths.append(len(ids))
            flat.extend(ids)
        key_arr = np.frombuffer(keys, dtype=np.uint64) if len(keys) else np.zeros(0, dtype=np.uint64)
        len_arr = np.frombuffer(lengths, dtype=np.int64) if len(lengths) else np.zeros(0, dtype=np.int64)
        flat_arr = np.frombuffer(flat, dtype=np.int32) if len(flat) else np.zeros(0, dtype=np.int32)
        starts = np.zeros(len(key_arr) + 1, dtype=np.int64)
        np.cumsum(len_arr, out=starts[1:])
        order = np.argsort(key_arr, kind="stable")
        offsets = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(len_arr[order], out=offsets[1:])
        # the sets in key order: gather each set's ids (one index array of all positions, built in numpy)
        pos = np.repeat(starts[:-1][order] - offsets[:-1], len_arr[order]) + np.arange(int(offsets[-1]))
        return cls(key_arr[order].copy(), offsets, flat_arr[pos].astype(np.int32), list(vocab))

    def get(self, text: str) -> set[str] | None:
        """The token set of `text`, or None when the build did not tokenise it."""
        if not len(self.keys):
            return None
        k = np.uint64(text_key(text))
        i = int(np.searchsorted(self.keys, k))
        if i >= len(self.keys) or self.keys[i] != k:
            return None
        v = self.vocab
        return {v[j] for j in self.ids[int(self.offsets[i]):int(self.offsets[i + 1])].tolist()}

    def __len__(self) -> int:
        return len(self.keys)

    def save(self, folder: Path) -> None:
        folder.mkdir()
        np.save(folder / "keys.npy", self.keys, allow_pickle=False)
        np.save(folder / "offsets.npy", self.offsets, allow_pickle=False)
        np.save(folder / "ids.npy", self.ids, allow_pickle=False)
        (folder / "vocab.json").write_bytes(json.dumps(self.vocab, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def load(cls, folder: Path) -> "TokenSets":
        """Raises ValueError (or OSError) when the files do not fit together."""
        keys = np.load(folder / "keys.npy", mmap_mode="r", allow_pickle=False)
        offsets = np.load(folder / "offsets.npy", mmap_mode="r", allow_pickle=False)
        ids = np.load(folder / "ids.npy", mmap_mode="r", allow_pickle=False)
        vocab = json.loads((folder / "vocab.json").read_bytes())
        if keys.dtype != np.uint64 or offsets.dtype != np.int64 or ids.dtype != np.int32 or keys.ndim != 1 \
                or offsets.shape != (len(keys) + 1,) or ids.ndim != 1 or not isinstance(vocab, list):
            raise ValueError("tokensets: arrays of unexpected types or shapes")
        if len(keys) and (int(offsets[0]) != 0 or int(offsets[-1]) != len(ids)):
            raise ValueError("tokensets: offsets do not cover the token ids")
        return cls(keys, offsets, ids, vocab)
