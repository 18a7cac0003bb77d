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
import math
import operator
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
FEATURES = 5  # the feature set's version: a model of another version is refused
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

    def __init__(self, lowercase: frozenset[str] = frozenset()) -> None:
        self.lowercase = lowercase  # folded words seen written in lower case when training
        self.own: dict[str, list[str]] = {}
        self.kind: dict[str, str] = {}  # a one-letter class: U C l ' d p
        self.around: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {}

    def of(self, word: str) -> tuple[list[str], tuple[list[str], list[str], list[str], list[str]]]:
        own = self.own.get(word)
        if own is None:
            own = self.own[word] = self._own(word)
            low = fold(word)
            if word[:1].isupper() and low in self.lowercase:
                own.append("lex")  # a capitalised common word ("Bu", "Devlet")
            shape = _shape(word)
            cap = "C" if word[:1].isupper() else "l" if word[:1].isalpha() else "o"
            self.kind[word] = _kind(word)
            near = [f"w={low}", f"c={cap}"]
            if word[0] in "'’":
                near.append(f"suf={low[1:]}")
            # what the lists say of it: a role before a name, a head after one
            hints = [f for f in own if f.startswith("gaz=") or f in _MARKS]
            self.around[word] = (
                ["-1" + f for f in near + hints] + [f"-1s={shape}"],
                ["+1" + f for f in near + hints] + [f"+1s={shape}"],
                ["-2" + f for f in near[:2] + hints],
                ["+2" + f for f in near[:2] + hints],
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


_MARKS = frozenset({"role", "rolemod", "orghead", "lochead", "adj", "notname", "first"})


def _kind(word: str) -> str:
    first = word[0]
    if first in "'’":
        return "'"
    if first.isupper():
        return "U" if len(word) > 1 and word.isupper() else "C"
    if first.isalpha():
        return "l"
    return "d" if first.isdigit() else "p"


def pair_features(kinds: Sequence[str]) -> list[tuple[str, str]]:
    """Per token: the classes of it and the token before (``cp=lC``), it and the one after
    (``cn=C'``): a capital after a lowercase word, a name before its suffix."""
    padded = ["^", *kinds, "$"]
    return [
        ("cp=" + padded[i] + padded[i + 1], "cn=" + padded[i + 1] + padded[i + 2])
        for i in range(len(kinds))
    ]


def featurise(
    text: str, sentence: Sequence[tuple[int, int]], rule_tags: dict[int, str], table: _Features
) -> list[list[str]]:
    words = [text[s:e] for s, e in sentence]
    looked = [table.of(w) for w in words]
    pairs = pair_features([table.kind[w] for w in words])
    n = len(words)
    out: list[list[str]] = []
    for i in range(n):
        own, _ = looked[i]
        feats = own + [f"r={rule_tags.get(sentence[i][0], 'O')}", *pairs[i]]
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
    crfsuite_copy: Path | None = None,
) -> TrainReport:
    """Learn from ``docs`` and write the model to ``output`` (atomically). ``progress`` is
    called as (stage, done, total): "features" per document, then "training" per iteration.
    ``crfsuite_copy``: also keep crfsuite's own model file there (to check the decoder)."""
    import pycrfsuite

    from reader.entities.models import rules_version

    started = time.monotonic()
    lowercase = _lowercase_words(docs)
    table = _Features(lowercase)
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
        if crfsuite_copy is not None:
            crfsuite_copy.write_bytes(raw.read_bytes())
        tagger = pycrfsuite.Tagger()
        tagger.open(str(raw))
        info = tagger.info()
        tagger.close()
    tag_names = sorted(info.labels, key=lambda t: int(info.labels[t]))
    index = {t: i for i, t in enumerate(tag_names)}
    transitions = [[0.0] * len(tag_names) for _ in tag_names]
    for (before, after), weight in info.transitions.items():
        transitions[index[before]][index[after]] = weight
    weights: dict[str, list[float]] = {}
    for (attribute, tag), weight in info.state_features.items():
        weights.setdefault(attribute, []).extend((index[tag], weight))
    header = {
        "format": FORMAT,
        "features": FEATURES,
        "trained": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "corpora": list(corpora),
        "sentences": n_sentences,
        "tokens": n_tokens,
        "labels": sorted(labels),
        "tags": tag_names,
        "transitions": transitions,
        "rules": rules_version(),  # the rules it learnt from, as features
    }
    body = {"weights": weights, "lowercase": sorted(lowercase)}
    _write_atomic(output, orjson.dumps(header) + b"\n" + orjson.dumps(body))
    return TrainReport(
        n_sentences, n_tokens, time.monotonic() - started, iterations_done, sorted(labels)
    )


def _lowercase_words(docs: Sequence[Document]) -> frozenset[str]:
    """Folded words written in lower case at least twice in the corpus."""
    from collections import Counter

    seen: Counter[str] = Counter()
    for doc in docs:
        seen.update(w for w in re.findall(r"(?<!\w)[^\W\d_]+", doc.text) if w[0].islower())
    return frozenset(fold(w) for w, n in seen.items() if n >= 2)


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
Vector = list[float]


class CrfModel:
    """A trained model, loaded once; :meth:`recognise` is a pure function of the text.

    Decoding is crfsuite's (the best-scoring tag sequence: the sum of the weights of each
    token's features and of each transition), done here so that it is fast: the weights of a
    word's features are summed once per word, and a token whose "O" wins by more than any
    transition could make up is "O" in the best sequence, so Viterbi runs only on the short
    stretches between such tokens (around the names)."""

    def __init__(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ModelError(f"{path}: {exc.strerror or exc}") from None
        line, _, body = data.partition(b"\n")
        try:
            header = orjson.loads(line)
            weights = orjson.loads(body) if body else None
        except orjson.JSONDecodeError:
            header = weights = None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise ModelError(f"{path}: not a haber-okur entity model")
        if header.get("features") != FEATURES:
            raise ModelError(f"{path}: a model of another version: train it again")
        try:
            self._set_up(header, weights)
        except (KeyError, TypeError, ValueError, IndexError):
            raise ModelError(f"{path}: a damaged entity model") from None
        self.path = path
        self.header: dict[str, Any] = header
        self.digest = hashlib.sha256(data).hexdigest()[:12]

    def _set_up(self, header: dict[str, Any], body: Any) -> None:
        if not isinstance(body, dict) or not isinstance(body.get("weights"), dict):
            raise ValueError("no weights")
        weights = body["weights"]
        self.lowercase = frozenset(str(w) for w in body.get("lowercase") or ())
        self.tags: list[str] = [str(t) for t in header["tags"]]
        size = len(self.tags)
        self.o = self.tags.index("O")
        self.transitions: list[list[float]] = [
            [float(w) for w in row] for row in header["transitions"]
        ]
        if len(self.transitions) != size or any(len(r) != size for r in self.transitions):
            raise ValueError("transitions")
        # each feature's weight for every tag, as one vector
        self.dense: dict[str, tuple[float, ...]] = {}
        for feature, pairs in weights.items():
            dense = [0.0] * size
            for k in range(0, len(pairs), 2):
                dense[int(pairs[k])] += float(pairs[k + 1])
            self.dense[feature] = tuple(dense)
        o, t = self.o, self.transitions
        # how much the transitions around a token can favour tag y over O (at least 0: the
        # last token has no transition after it); -inf for O itself
        into = [max(0.0, *(t[a][y] - t[a][o] for a in range(size))) for y in range(size)]
        into_o = [max(0.0, t[o][y] - t[o][o]) for y in range(size)]
        out = [max(0.0, *(t[y][b] - t[o][b] for b in range(size))) for y in range(size)]

        def vector(parts: list[list[float]]) -> list[float]:
            return [-math.inf if y == o else sum(p[y] for p in parts) for y in range(size)]

        self.slack = vector([into, out])
        self.slack_o = vector([into_o, out])
        self.slack_first = vector([out])
        self.columns = [[t[a][y] for a in range(size)] for y in range(size)]
        self.table = _Features(self.lowercase)
        self.words: dict[str, tuple[Vector, ...]] = {}
        self.fixed: dict[str, Vector] = {}
        self.extras: dict[tuple[str, str, str, str], Vector] = {}

    @property
    def trained(self) -> str:
        return str(self.header.get("trained", "?"))

    def _vector(self, features: Iterable[str]) -> Vector:
        get = self.dense.get
        found = [v for v in map(get, features) if v is not None]
        if not found:
            return [0.0] * len(self.tags)
        return list(map(sum, zip(*found, strict=True)))

    def _word(self, word: str) -> tuple[Vector, ...]:
        """A word's vectors: its own; as the token before, after, two before, two after."""
        found = self.words.get(word)
        if found is None:
            own, around = self.table.of(word)
            found = self.words[word] = (self._vector(own), *(self._vector(a) for a in around))
        return found

    def _extra(self, tag: str, before: str, kind: str, after: str) -> Vector:
        """The vector of a token's rule tag and capital-class pairs (as ``featurise``)."""
        features = ["r=" + tag, "cp=" + before + kind, "cn=" + kind + after]
        vector = self._vector(features)
        return vector

    def _fixed(self, feature: str) -> Vector:
        found = self.fixed.get(feature)
        if found is None:
            vector = self._vector([feature])
            found = self.fixed[feature] = vector
        return found

    def recognise(self, text: str, keywords: Sequence[str] = ()) -> list[Entity]:
        sents = sentences(text)
        tags = _rule_tags(text, keywords, _all_starts(sents))
        found: list[Entity] = []
        for sentence in sents:
            labels = self.labels(text, sentence, tags)
            if labels is not None:
                found.extend(_entities(text, sentence, labels))
        return found

    def labels(
        self, text: str, sentence: Sequence[tuple[int, int]], rule_tags: dict[int, str]
    ) -> list[str] | None:
        """The best tags of a sentence's tokens (None: all O)."""
        bos, eos = self._fixed("BOS"), self._fixed("EOS")
        if len(self.words) > 300_000:  # a huge text of many words: start again
            self.words.clear()
            self.table = _Features(self.lowercase)
        words = [text[s:e] for s, e in sentence]
        infos = [self._word(w) for w in words]
        kinds = self.table.kind
        padded = ["^", *(kinds[w] for w in words), "$"]
        extras = self.extras
        extra = []  # per token: the rules' tag and the capital-class pairs, summed
        for i, (start, _) in enumerate(sentence):
            key = (rule_tags.get(start, "O"), padded[i], padded[i + 1], padded[i + 2])
            found = extras.get(key)
            if found is None:
                found = extras[key] = self._extra(*key)
            extra.append(found)
        n = len(sentence)
        o = self.o
        add = operator.add
        emissions: list[Vector] = []
        uncertain = []
        certain_before = False  # the token before is O in every best sequence
        for i in range(n):
            parts = [infos[i][0], extra[i]]
            parts.append(infos[i - 1][1] if i else bos)
            parts.append(infos[i + 1][2] if i + 1 < n else eos)
            if i > 1:
                parts.append(infos[i - 2][3])
            if i + 2 < n:
                parts.append(infos[i + 2][4])
            emission: Vector = list(map(sum, zip(*parts, strict=True)))
            emissions.append(emission)
            # O here is in every best sequence when it beats each tag y by more than the
            # transitions around could favour y (after an O: only O -> y counts)
            slack = self.slack_first if not i else self.slack_o if certain_before else self.slack
            certain_before = max(map(add, emission, slack)) < emission[o]
            if not certain_before:
                uncertain.append(i)
        if not uncertain:
            return None
        labels = ["O"] * n
        for first, last in _stretches(uncertain):
            best = self._viterbi(emissions[first : last + 1], first > 0, last + 1 < n)
            for offset, tag in enumerate(best):
                labels[first + offset] = self.tags[tag]
        return labels

    def _viterbi(self, emissions: list[Vector], o_before: bool, o_after: bool) -> list[int]:
        """The best tags of a stretch, given O before it and after it when there is a token."""
        t, o, columns = self.transitions, self.o, self.columns
        size = len(self.tags)
        first = emissions[0]
        score = [first[y] + (t[o][y] if o_before else 0.0) for y in range(size)]
        back: list[list[int]] = []
        for emission in emissions[1:]:
            step = []
            new = []
            for y in range(size):
                values = list(map(operator.add, score, columns[y]))
                best = max(values)
                step.append(values.index(best))
                new.append(best + emission[y])
            back.append(step)
            score = new
        if o_after:
            score = [score[y] + t[y][o] for y in range(size)]
        tag = max(range(size), key=score.__getitem__)
        path = [tag]
        for step in reversed(back):
            tag = step[tag]
            path.append(tag)
        return path[::-1]


def _stretches(indices: list[int]) -> Iterable[tuple[int, int]]:
    """Runs of consecutive indices as (first, last)."""
    first = previous = indices[0]
    for i in indices[1:]:
        if i != previous + 1:
            yield first, previous
            first = i
        previous = i
    yield first, previous


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
