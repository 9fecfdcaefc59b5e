"""Question answering over Chinese government notices, with verbatim, checked citations.

    from assistant import Assistant
    a = Assistant.load()
    ans = a.ask("陕西省“十三五”易地扶贫搬迁共搬迁了多少户?")
"""
from .config import Config
from .errors import AssistantError, BadQuestion
from .pipeline import Assistant
from .types import Filters
from .types import Answer, Citation, Notice, Passage

__all__ = ["Assistant", "Answer", "AssistantError", "BadQuestion", "Citation", "Config", "Filters", "Notice",
           "Passage"]
