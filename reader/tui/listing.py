"""Which articles the list shows, in what order: filters, sort and search (pure)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from annotations.textfold import fold
from reader.core.search import Searcher

SORTS = ("date", "title", "source")
READ_STATES = ("all", "unread", "read")


@dataclass(frozen=True)
class ListQuery:
    search: str = ""
    tag: str | None = None
    source: str | None = None
    read_state: str = "all"
    entity: str | None = None  # an entity's surface text; articles mentioning it
    sort: str = "date"

    def describe(self) -> str:
        parts = []
        if self.search:
            parts.append(f"search “{self.search}”")
        if self.tag:
            parts.append(f"tag {self.tag}")
        if self.source:
            parts.append(f"source {self.source}")
        if self.read_state != "all":
            parts.append(self.read_state)
        if self.entity:
            parts.append(f"entity {self.entity}")
        return " · ".join(parts)

    def next_sort(self) -> ListQuery:
        return replace(self, sort=SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)])

    def next_read_state(self) -> ListQuery:
        index = (READ_STATES.index(self.read_state) + 1) % len(READ_STATES)
        return replace(self, read_state=READ_STATES[index])


def select(
    articles: list[dict[str, Any]],
    query: ListQuery,
    *,
    tags: dict[str, list[str]],
    read: set[str],
    searcher: Searcher | None,
    entity_ids: set[str] | None = None,
) -> list[dict[str, Any]]:
    """The rows to show. ``articles`` come newest first; search ranks title hits first."""
    rows = articles
    if query.sort == "title":
        rows = sorted(rows, key=lambda r: fold(r.get("title") or ""))
    elif query.sort == "source":
        rows = sorted(rows, key=lambda r: (fold(r.get("source") or "~"), r.get("date") or ""))
    if query.tag:
        rows = [r for r in rows if query.tag in tags.get(r["id"], ())]
    if query.source:
        rows = [r for r in rows if r.get("source") == query.source]
    if query.read_state == "unread":
        rows = [r for r in rows if r["id"] not in read]
    elif query.read_state == "read":
        rows = [r for r in rows if r["id"] in read]
    if query.entity and entity_ids is not None:
        rows = [r for r in rows if r["id"] in entity_ids]
    if query.search and searcher is not None:
        rows = searcher.search(query.search, rows)
    return rows
