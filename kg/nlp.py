"""Shared access to jieba, initialised once and quietly."""

from __future__ import annotations

import logging
from functools import lru_cache
from types import ModuleType


@lru_cache(maxsize=1)
def jieba() -> ModuleType:
    """The jieba module with its dictionary loaded, the gazetteer and suffix words added to it
    (so 平城区 and 有限公司 are single words), and its start-up chatter silenced."""
    import jieba as module

    from .lexicon import boundary_words, user_words

    module.setLogLevel(logging.WARNING)
    module.initialize()
    for word, tag in user_words():
        # A high frequency makes the user word win over the dictionary's splits.
        module.add_word(word, freq=max(module.get_FREQ(word) or 0, 100000), tag=tag)
    for word in boundary_words():
        if not module.get_FREQ(word):
            module.add_word(word, freq=100000, tag="v")
    return module
