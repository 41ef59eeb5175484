"""Shared access to jieba, initialised once and quietly."""

from __future__ import annotations

import logging
from functools import lru_cache
from types import ModuleType


@lru_cache(maxsize=1)
def jieba() -> ModuleType:
    """The jieba module with its dictionary loaded and its start-up chatter silenced."""
    import jieba as module

    module.setLogLevel(logging.WARNING)
    module.initialize()
    return module
