"""Entities -> relations: partOf, responsibleFor, memberOf (roles), locatedIn, with evidence."""

from __future__ import annotations

from typing import Sequence

from .model import Entity, PageDoc, Relation


def extract(docs: Sequence[PageDoc], entities: Sequence[Entity]) -> tuple[Relation, ...]:
    """Relations the pages state. (The relation patterns arrive with the relations issue.)"""
    return ()
