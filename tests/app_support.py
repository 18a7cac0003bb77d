"""Helpers for app tests: a library with the samples (and optional extra files), the app."""

from __future__ import annotations

from pathlib import Path

from annotations.library import Library
from reader.core.importing import import_parsed, import_samples
from reader.ingest import parse_bytes
from reader.tui.app import ReaderApp

HOSTILE = (
    "date 2025-11-20 [bold red]Kaynak[/]\n"
    "Başlık [@click=app.quit]tıkla[/] \x1b]0;pwned\x07 \x1b[31mkırmızı\x1b[0m\n\n"
    "10:0020/11/2025, Perşembe\nAA\n"
    "Özet [link=https://example.org]bağlantı[/link] ve \u202eters\u202c metin.\n\n"
    "Gövde \x1b]52;c;aGVsbG8=\x07 panoya yazmaz; [$accent]değişken[/] ve [/] kapanış.\n\n"
    "#[b]etiket[/b]\n"
)


def make_library(folder: Path, *, hostile: bool = False) -> Library:
    library = Library(folder, annotator="ayse")
    import_samples(library)
    if hostile:
        import_parsed(library, [parse_bytes("hostile.txt", HOSTILE.encode())])
    return library


def make_app(folder: Path, **kw) -> ReaderApp:
    return ReaderApp(make_library(folder, **kw), theme="okur-dark")
