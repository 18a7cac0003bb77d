"""The library as training data: the articles people reviewed, with the entities they saw and
corrected.

An article counts as reviewed when someone corrected or added an entity in it, or marked it
done. Its entities are what the app shows for it: the recogniser in force, then everyone's
corrections (which apply to every mention of their surface form, in every reviewed article).
"""

from __future__ import annotations

from collections.abc import Callable

from annotations.errors import LibraryError
from annotations.library import Library
from annotations.records import DoneMark, EntityCorrection
from reader.entities.corpus import Document, Summary


def reviewed_articles(library: Library) -> list[str]:
    """Ids of the articles someone corrected an entity in or marked done, in library order."""
    ids = {r.article for r in library.records(EntityCorrection) if r.article}
    ids |= {r.article for r in library.records(DoneMark) if r.article}
    known = library.article_index()
    return sorted(i for i in ids if i in known)


def library_documents(
    library: Library, summary: Summary, progress: Callable[[int, int], None] | None = None
) -> list[Document]:
    from reader.entities import entities_for

    corrections = library.records(EntityCorrection)
    ids = reviewed_articles(library)
    docs: list[Document] = []
    for number, article_id in enumerate(ids, start=1):
        try:
            article = library.load_article(article_id)
        except LibraryError:
            continue  # a body that cannot be read: left out
        entities = entities_for(article.text, article.keywords, corrections)
        doc = Document(
            article.text,
            tuple((e.start, e.end, e.label) for e in entities),
            tuple(article.keywords),
        )
        summary.add(doc)
        docs.append(doc)
        if progress is not None:
            progress(number, len(ids))
    return docs
