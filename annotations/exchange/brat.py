"""brat standoff: per article ``<id>.txt`` (the canonical text) and ``<id>.ann`` (``T`` lines for
passages and entities, ``#`` AnnotatorNotes for a passage's note), and an ``annotation.conf``
listing the labels. brat counts offsets in characters of the .txt file. brat has no place for
document tags or notes on a whole article: they stay in the other formats."""

from __future__ import annotations

from collections.abc import Iterable

from annotations.exchange.documents import Document


def label_name(label: str) -> str:
    """brat types are one word: spaces and tabs become underscores."""
    return "_".join(label.split()) or "label"


def files(docs: Iterable[Document], *, entities: bool = False) -> dict[str, str]:
    """File name: content, the whole export (written by the caller into one folder)."""
    out: dict[str, str] = {}
    labels: set[str] = set()
    for doc in docs:
        lines = []
        marks = [(p.start, p.end, p.label, p.note) for p in doc.passages]
        if entities:
            marks += [(s, e, label, None) for s, e, label in doc.entities]
        ordered = sorted(marks, key=lambda m: (m[0], m[1], m[2]))
        for number, (start, end, label, note) in enumerate(ordered, start=1):
            name = label_name(label)
            labels.add(name)
            quote = doc.text[start:end]
            if "\n" in quote:  # a fragment per line: brat's discontinuous span
                bounds = _fragments(doc.text, start, end)
                where = ";".join(f"{s} {e}" for s, e in bounds)
                quote = " ".join(doc.text[s:e] for s, e in bounds)
            else:
                where = f"{start} {end}"
            lines.append(f"T{number}\t{name} {where}\t{quote}")
            if note:
                lines.append(f"#{number}\tAnnotatorNotes T{number}\t{_one_line(note)}")
        out[f"{doc.id}.txt"] = doc.text
        out[f"{doc.id}.ann"] = "".join(line + "\n" for line in lines)
    out["annotation.conf"] = (
        "[entities]\n"
        + "".join(f"{name}\n" for name in sorted(labels))
        + "[relations]\n[events]\n[attributes]\n"
    )
    return out


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    for line in text[start:end].split("\n"):
        if line.strip():
            left = pos + len(line) - len(line.lstrip())
            out.append((left, pos + len(line.rstrip())))
        pos += len(line) + 1
    return out


def _one_line(text: str) -> str:
    return " ".join(text.split())
