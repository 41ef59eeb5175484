"""Mentions -> entities: one entity per real-world thing, across all pages."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from .model import Entity, Mention


def resolve(mentions: Iterable[Mention]) -> tuple[Entity, ...]:
    """Group mentions by type and canonical name; sorted by key."""
    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        groups[(m.type, m.name)].append(m)
    entities = []
    for (type_, name), ms in groups.items():
        ms.sort(key=lambda m: (m.page, m.start, m.end, m.article))
        aliases = tuple(sorted({m.surface for m in ms} - {name}))
        entities.append(Entity(type_, name, aliases, tuple(ms)))
    return tuple(sorted(entities, key=lambda e: e.key))
