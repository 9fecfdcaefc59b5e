"""Named errors. Each carries a plain Chinese message (`zh`) that the UI and CLI show to staff."""
from __future__ import annotations


class AssistantError(Exception):
    """Base class. `str(err)` is the Chinese message; `err.detail` names the bad value for logs."""

    def __init__(self, zh: str, detail: str = "") -> None:
        super().__init__(zh)
        self.zh = zh
        self.detail = detail


class BadQuestion(AssistantError):
    """Empty, whitespace-only or over-long question."""


class BadConfig(AssistantError):
    """A config value out of range, e.g. top_k must be > 0."""


class CorpusError(AssistantError):
    """Missing corpus folder, no notices, or a file that cannot be decoded."""


class IndexError_(AssistantError):
    """Index missing, stale, corrupt or built with another model."""


class ModelError(AssistantError):
    """An embedding or reranker model could not be loaded."""


class CitationError(AssistantError):
    """A citation failed its check (not a verbatim span, or a figure not in any quote)."""


class FileRejected(CorpusError):
    """One file cannot become a notice: empty, binary, an unsupported type, too large, a scan without OCR,
    nothing left after cleaning. `code` is a stable English key of the kind of problem (for tests and logs)."""

    def __init__(self, zh: str, detail: str = "", code: str = "") -> None:
        super().__init__(zh, detail)
        self.code = code


class LLMError(AssistantError):
    """The generated-answer server failed: down, too slow, an HTTP error, or a stream cut short or malformed.
    The answer falls back to quotes; `zh` is the one-line note shown to staff."""


class BadParameter(AssistantError):
    """A parameter of a question out of type or range: top_k, retriever, mode, history shape."""


class BadFilter(BadParameter):
    """A filter that cannot be applied: unknown key, unknown notice id, a date that is not a real date, a reversed
    date range."""


class Busy(AssistantError):
    """Too many questions at once (from this client, or in total): the caller should try again shortly."""


class IndexBusy(AssistantError):
    """Another process is building this index folder and did not finish in time."""
