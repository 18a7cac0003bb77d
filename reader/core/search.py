"""Library search: Turkish-aware, every word must match; title hits rank first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotations.textfold import fold, fold_query


class Searcher:
    """Matches queries against folded search keys (built once, reused per keystroke)."""

    def __init__(self, keys: dict[str, str]) -> None:
        self.keys = keys
        self._titles: dict[str, str] = {}

    def search(self, query: str, articles: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """``articles`` (in their order) that match every word of ``query``; title hits first."""
        words = fold_query(query).split()
        if not words:
            return list(articles)
        in_title: list[dict[str, Any]] = []
        elsewhere: list[dict[str, Any]] = []
        for meta in articles:
            key = self.keys.get(meta["id"])
            if key is None or not all(w in key for w in words):
                continue
            title = self._titles.get(meta["id"])
            if title is None:
                title = self._titles[meta["id"]] = fold(meta.get("title") or "")
            (in_title if all(w in title for w in words) else elsewhere).append(meta)
        return in_title + elsewhere
