"""Articles -> mentions: find the names an article prints.

This first version knows only the people the byline and photo credits name;
the recognizers for the other eight types come with the entity issue.
"""

from __future__ import annotations

from .model import Article, Mention


def recognize(article: Article) -> list[Mention]:
    """Every mention in one article, in page order."""
    mentions: list[Mention] = []
    for segment in article.segments:
        if segment.role not in ("byline", "credit"):
            continue
        names = [*article.reporters, *article.photographers, *article.columnists]
        for name in dict.fromkeys(names):
            at = segment.text.find(name)
            if at < 0:
                continue
            start = segment.text_start + at
            mentions.append(
                Mention("Person", name, name, article.id, article.page, start, start + len(name), segment.text, "byline")
            )
    return sorted(mentions, key=lambda m: (m.start, m.end))
