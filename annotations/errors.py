"""Errors the library raises, each with a message that names the file and the reason."""

from __future__ import annotations

from pathlib import Path


class LibraryError(Exception):
    """Base class: the message is meant for the user."""


class LibraryWriteError(LibraryError):
    def __init__(self, path: Path, cause: OSError) -> None:
        self.path = path
        self.cause = cause
        reason = cause.strerror or str(cause)
        super().__init__(f"could not save {path}: {reason}")


class SchemaTooNewError(LibraryError):
    def __init__(self, path: Path, found: int, known: int) -> None:
        super().__init__(
            f"{path} has schema version {found}, newer than this program knows ({known}); "
            "upgrade haber-okur to open it"
        )


class ArticleNotFound(LibraryError):
    pass


class AmbiguousArticle(LibraryError):
    pass


class TeamAnnotatorError(LibraryError):
    """``--annotator`` naming someone else in a team library."""
