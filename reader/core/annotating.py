"""What the app and the command line share about an article's annotations: its entities (rules
plus the user's corrections) and the taxonomy in force."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from annotations.library import Library
from annotations.model import Article
from annotations.records import EntityCorrection
from annotations.taxonomy import Taxonomy, load_taxonomy
from annotations.textfold import fold
from reader.core.location import config_dir
from reader.entities import Entity, entities_for, recogniser_version

_CACHE: dict[tuple[str, str, tuple[str, ...]], list[Entity]] = {}
_CACHE_SIZE = 64


def article_entities(library: Library, article: Article) -> list[Entity]:
    """Entities of ``article``, corrected; cached by content id, the recogniser in force (rules
    or a model: a new model is a new key) and the corrections in force."""
    corrections = library.records(EntityCorrection)  # everyone's: the newest decision wins
    key = (article.id, recogniser_version(), tuple(sorted(r.id for r in corrections)))
    found = _CACHE.get(key)
    if found is None:
        found = entities_for(article.text, article.keywords, corrections)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = found
    return found


def gazetteer_mentions(keys: dict[str, str]) -> dict[str, int]:
    """How many articles each gazetteer name occurs in as whole words, by the folded search
    ``keys`` (cheap, and enough to rank the choices of an entity prompt). Names are looked up
    by their first word among an article's words: about linear in the text, not names × text."""
    import re

    from reader.entities.gazetteer import display_names

    by_first: dict[str, list[tuple[str, str]]] = {}  # first word -> (" the words ", shown)
    for folded, shown in display_names().items():
        words = re.findall(r"\w+", folded)
        if words:
            by_first.setdefault(words[0], []).append((" " + " ".join(words) + " ", shown))
    counts: dict[str, int] = {}
    for key in keys.values():
        words = re.findall(r"\w+", key)
        text = ""
        found: set[str] = set()
        for first in by_first.keys() & set(words):
            for phrase, shown in by_first[first]:
                if phrase.count(" ") > 2:  # several words: they must follow each other
                    text = text or " " + " ".join(words) + " "
                    if phrase not in text:
                        continue
                found.add(shown)
        for shown in found:
            counts[shown] = counts.get(shown, 0) + 1
    return counts


def entity_choices(library: Library, found: dict[str, int]) -> list[tuple[str, str]]:
    """What the entity filter offers, most frequent first: ``found`` (names in the library's
    search keys, with article counts), the entities of the articles recognised so far, and
    the surfaces of everyone's added or relabelled entity corrections. Nothing is recognised
    here: that would take seconds on a large library."""
    counts = dict(found)
    seen: dict[str, set[str]] = {}
    here = library.article_index()
    for (article_id, _, _), entities in list(_CACHE.items()):
        if article_id not in here:
            continue  # recognised for another library of this process
        for entity in entities:
            seen.setdefault(entity.text, set()).add(article_id)
    for surface, ids in seen.items():
        counts[surface] = max(counts.get(surface, 0), len(ids))
    for correction in library.records(EntityCorrection):
        if correction.action != "remove":
            counts.setdefault(correction.text, 1)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], fold(item[0])))
    return [(surface, f"{surface}  ({n})") for surface, n in ranked]


def tag_choices(library: Library) -> list[tuple[str, str]]:
    """What a tag prompt offers: the taxonomy's tags (numbered as their quick keys), then the
    other tags in use in the library."""
    known = taxonomy().tag_keys()
    in_use = sorted({t for names in library.tags_by_article().values() for t in names})
    choices = [(k, f"{i}  {k}" if i <= 9 else k) for i, k in enumerate(known, start=1)]
    return choices + [(t, t) for t in in_use if t not in known]


def taxonomy() -> Taxonomy:
    """The user's taxonomy file, or the bundled one (``problem`` says why, for the user)."""
    return _taxonomy(config_dir() / "taxonomy.yaml")


@cache
def _taxonomy(path: Path) -> Taxonomy:
    return load_taxonomy(path)
