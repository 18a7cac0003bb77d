"""A linear-chain CRF (python-crfsuite) over Turkish tokens, with the rules as features.

Tokens are those of the exports (``annotations.exchange.tokens``): words, the apostrophe suffix
as a token of its own (``Türkiye`` ``’nin``) and punctuation, each with exact offsets into the
canonical text, so an entity is always ``text[start:end]`` and never takes in the suffix.
Sentences end at ``. ! ? …`` followed by a space, and at a line break.

Features of a token: its folded form (Turkish-aware, same length), shape, prefixes and
suffixes, capitals, digits, gazetteer, first-name, surname, role and head-word lists; the same
for the words around it (two each side); and the tag the rules give it (``r=B-PERSON``), so a
model trained on a handful of corrected articles starts from what the rules know.

A model file is one JSON line (what it is, when and on what it was trained) followed by the
crfsuite model's bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from annotations.textfold import fold
from reader.entities import gazetteer
from reader.entities.corpus import Document, Span
from reader.entities.recognizer import Entity, recognize
from reader.entities.rules import (
    ADJECTIVES,
    NOT_NAMES,
    ORG_HEADS,
    PLACE_HEADS,
    ROLE_MODIFIERS,
    ROLES,
    words,
)

FORMAT = "haber-okur-crf"
FEATURES = 1  # the feature set's version: a model of another version is refused
_PIECE = re.compile(r"[^\W_]+|['’][^\W_]+|\n\s*|[^\S\n]+|.", re.DOTALL)
_SENTENCE_END = frozenset(".!?…")
_ABBREVIATIONS = words(
    """Av Bkz Cad Dr Doç Gen Hz Koop Ltd Mah Mr Mrs Ms No Opr Org Prof Sok Sn St Tel Yrd vb vs"""
)


class ModelError(ValueError):
    """A model file that is not one (or of another feature version)."""


# -- tokens and sentences --------------------------------------------------------------------
def sentences(text: str) -> list[list[tuple[int, int]]]:
    """The tokens of ``text`` as (start, end), grouped in sentences; spaces left out. The same
    split as the exports' tokens (``annotations.exchange.tokens``). A sentence ends at a line
    break, and at ``. ! ? …`` before a space, except a full stop after an initial or a short
    abbreviation (``F. Bahçe``, ``Dr. Ayşe``)."""
    out: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    ended = False
    for match in _PIECE.finditer(text):
        start, end = match.span()
        first = text[start]
        if first.isspace():
            if current and (ended or first == "\n"):
                out.append(current)
                current = []
            ended = False
            continue
        ended = False
        if first in _SENTENCE_END and end - start == 1:
            before = text[current[-1][0] : current[-1][1]] if current else ""
            ended = first != "." or not (
                (len(before) == 1 and before.isupper()) or before in _ABBREVIATIONS
            )
        current.append((start, end))
    if current:
        out.append(current)
    return out


# -- features --------------------------------------------------------------------------------
def _shape(word: str) -> str:
    shape: list[str] = []
    for ch in word:
        kind = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not shape or shape[-1] != kind:
            shape.append(kind)
    return "".join(shape[:6])


@cache
def _lists() -> tuple[dict[str, str], frozenset[str], frozenset[str], dict[str, str]]:
    names = gazetteer.names()
    # a word's place in a gazetteer phrase: "B-LOC" for its first word, "I-LOC" inside
    words: dict[str, str] = {}
    for phrase, label in names.items():
        parts = phrase.split()
        for i, part in enumerate(parts):
            words.setdefault(part, ("B-" if i == 0 else "I-") + label)
    marks: dict[str, str] = {}
    for tag, members in (
        ("role", ROLES),
        ("rolemod", ROLE_MODIFIERS),
        ("orghead", ORG_HEADS),
        ("lochead", PLACE_HEADS),
        ("adj", ADJECTIVES),
        ("notname", NOT_NAMES),
    ):
        for member in members:
            marks.setdefault(member, tag)
    return words, gazetteer.first_names(), gazetteer.surnames(), marks


class _Features:
    """Features of each word type, computed once: its own, and as a neighbour."""

    def __init__(self) -> None:
        self.own: dict[str, list[str]] = {}
        self.around: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {}

    def of(self, word: str) -> tuple[list[str], tuple[list[str], list[str], list[str], list[str]]]:
        own = self.own.get(word)
        if own is None:
            own = self.own[word] = self._own(word)
            low = fold(word)
            cap = "C" if word[:1].isupper() else "l" if word[:1].isalpha() else "o"
            near = [f"w={low}", f"c={cap}"]
            if word[0] in "'’":
                near.append(f"suf={low[1:]}")
            self.around[word] = (
                ["-1" + f for f in near] + [f"-1s={_shape(word)}"],
                ["+1" + f for f in near] + [f"+1s={_shape(word)}"],
                ["-2" + f for f in near[:1]],
                ["+2" + f for f in near[:1]],
            )
        return own, self.around[word]

    @staticmethod
    def _own(word: str) -> list[str]:
        words, first_names, surnames, marks = _lists()
        low = fold(word)
        feats = [f"w={low}", f"s={_shape(word)}", f"len={min(len(word), 8)}"]
        if word[0] in "'’":
            return [*feats, "apo", f"suf={low[1:]}"]
        feats += [f"p2={low[:2]}", f"p3={low[:3]}", f"x2={low[-2:]}", f"x3={low[-3:]}"]
        feats.append(f"x4={low[-4:]}")
        if word[:1].isupper():
            feats.append("upper" if word.isupper() and len(word) > 1 else "title")
        if word.isdigit():
            feats.append("digit")
        if (g := words.get(low)) is not None:
            feats.append(f"gaz={g}")
        if low in first_names:
            feats.append("first")
        if low in surnames:
            feats.append("surname")
        if (mark := marks.get(word)) is not None:
            feats.append(mark)
        if low.endswith("spor"):
            feats.append("spor")
        return feats


def featurise(
    text: str, sentence: Sequence[tuple[int, int]], rule_tags: dict[int, str], table: _Features
) -> list[list[str]]:
    words = [text[s:e] for s, e in sentence]
    looked = [table.of(w) for w in words]
    n = len(words)
    out: list[list[str]] = []
    for i in range(n):
        own, _ = looked[i]
        feats = own + [f"r={rule_tags.get(sentence[i][0], 'O')}"]
        if i == 0:
            feats.append("BOS")
        else:
            feats += looked[i - 1][1][0]
            if i > 1:
                feats += looked[i - 2][1][2]
        if i == n - 1:
            feats.append("EOS")
        else:
            feats += looked[i + 1][1][1]
            if i + 2 < n:
                feats += looked[i + 2][1][3]
        out.append(feats)
    return out


def iob_tags(spans: Iterable[Span], starts: Sequence[int]) -> dict[int, str]:
    """Token start -> the IOB tag of the span over it (tokens outside every span left out)."""
    from bisect import bisect_left

    tags: dict[int, str] = {}
    for start, end, label in spans:
        i = bisect_left(starts, start)
        first = True
        while i < len(starts) and starts[i] < end:
            tags[starts[i]] = ("B-" if first else "I-") + label
            first = False
            i += 1
    return tags


def _rule_tags(text: str, keywords: Sequence[str], starts: Sequence[int]) -> dict[int, str]:
    return iob_tags(((e.start, e.end, e.label) for e in recognize(text, list(keywords))), starts)


def _all_starts(sents: list[list[tuple[int, int]]]) -> list[int]:
    return [s for sentence in sents for s, _ in sentence]


# -- training --------------------------------------------------------------------------------
@dataclass
class TrainReport:
    sentences: int
    tokens: int
    seconds: float
    iterations: int
    labels: list[str]


def train(
    docs: Sequence[Document],
    output: Path,
    *,
    corpora: Sequence[str] = (),
    iterations: int = 100,
    progress: Callable[[str, int, int], None] | None = None,
) -> TrainReport:
    """Learn from ``docs`` and write the model to ``output`` (atomically). ``progress`` is
    called as (stage, done, total): "features" per document, then "training" per iteration."""
    import pycrfsuite

    started = time.monotonic()
    table = _Features()
    total_iterations = iterations

    class Trainer(pycrfsuite.Trainer):  # type: ignore[misc]
        def message(self, message: str) -> None:  # crfsuite's log: parsed, never printed
            event = self.logparser.feed(message)
            if event == "iteration" and progress is not None:
                done = int((self.logparser.last_iteration or {}).get("num", 0) or 0)
                progress("training", done, total_iterations)

    trainer = Trainer(verbose=False)
    n_sentences = n_tokens = 0
    labels: set[str] = set()
    for number, doc in enumerate(docs, start=1):
        sents = sentences(doc.text)
        starts = _all_starts(sents)
        tags = _rule_tags(doc.text, doc.keywords, starts)
        gold_tags = iob_tags(doc.spans, starts)
        for sentence in sents:
            gold = [gold_tags.get(s, "O") for s, _ in sentence]
            trainer.append(featurise(doc.text, sentence, tags, table), gold)
            labels.update(t[2:] for t in gold if t != "O")
            n_sentences += 1
            n_tokens += len(sentence)
        if progress is not None and (number % 200 == 0 or number == len(docs)):
            progress("features", number, len(docs))
    if not n_sentences:
        raise ModelError("nothing to learn from: the corpus has no text")
    small = n_tokens < 20_000  # a few corrected articles: let the words weigh more
    trainer.set_params(
        {
            "c1": 0.05 if small else 0.1,
            "c2": 0.01 if small else 0.05,
            "max_iterations": iterations,
            "feature.possible_transitions": True,
        }
    )
    del table
    with tempfile.TemporaryDirectory(prefix="reader-crf-") as folder:
        raw = Path(folder) / "model.crfsuite"
        trainer.train(str(raw))
        last = trainer.logparser.last_iteration or {}
        iterations_done = int(last.get("num", 0) or 0)
        body = raw.read_bytes()
    header = {
        "format": FORMAT,
        "features": FEATURES,
        "trained": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "corpora": list(corpora),
        "sentences": n_sentences,
        "tokens": n_tokens,
        "labels": sorted(labels),
    }
    _write_atomic(output, orjson.dumps(header) + b"\n" + body)
    return TrainReport(
        n_sentences, n_tokens, time.monotonic() - started, iterations_done, sorted(labels)
    )


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# -- tagging ---------------------------------------------------------------------------------
class CrfModel:
    """A trained model, loaded once; :meth:`recognise` is a pure function of the text."""

    def __init__(self, path: Path) -> None:
        import pycrfsuite

        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ModelError(f"{path}: {exc.strerror or exc}") from None
        line, _, body = data.partition(b"\n")
        try:
            header = orjson.loads(line)
        except orjson.JSONDecodeError:
            header = None
        if not isinstance(header, dict) or header.get("format") != FORMAT or not body:
            raise ModelError(f"{path}: not a haber-okur entity model")
        if header.get("features") != FEATURES:
            raise ModelError(f"{path}: a model of another version: train it again")
        self.path = path
        self.header: dict[str, Any] = header
        self.digest = hashlib.sha256(data).hexdigest()[:12]
        self.tagger = pycrfsuite.Tagger()
        try:
            self._body = body  # crfsuite reads the model from these bytes: keep them alive
            self.tagger.open_inmemory(body)
        except (ValueError, OSError) as exc:
            raise ModelError(f"{path}: the model cannot be read ({exc})") from None
        self.table = _Features()

    @property
    def trained(self) -> str:
        return str(self.header.get("trained", "?"))

    def recognise(self, text: str, keywords: Sequence[str] = ()) -> list[Entity]:
        sents = sentences(text)
        tags = _rule_tags(text, keywords, _all_starts(sents))
        found: list[Entity] = []
        tag = self.tagger.tag
        table = self.table
        if len(table.own) > 200_000:  # a huge text of many words: do not grow without end
            table = self.table = _Features()
        for sentence in sents:
            labels = tag(featurise(text, sentence, tags, table))
            found.extend(_entities(text, sentence, labels))
        return found


def _entities(
    text: str, sentence: Sequence[tuple[int, int]], labels: Sequence[str]
) -> list[Entity]:
    out: list[Entity] = []
    start = end = -1
    label = ""
    for (s, e), tag in zip(sentence, labels, strict=True):
        if text[s] in "'’":  # a suffix is never part of an entity
            tag = "O"
        if tag == "O" or tag.startswith("B-") or tag[2:] != label:
            if start >= 0:
                out.append(Entity(text[start:end], label, start, end))
                start = -1
            if tag == "O":
                continue
            start, label = s, tag[2:]
        end = e
    if start >= 0:
        out.append(Entity(text[start:end], label, start, end))
    return out
