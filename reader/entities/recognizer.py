"""Rule- and gazetteer-based recognition of people, organisations and places.

Works on the canonical text and never changes it, so every offset is exact:
``text[e.start:e.end] == e.text``. Steps:

1. runs of capitalised words (name particles and connectors allowed inside), cut at an
   apostrophe suffix (``Erdoğan'a`` -> ``Erdoğan``);
2. a role word inside a run splits it: what follows is a person, what precedes may be an
   organisation (``MİT Başkanı İbrahim Kalın``);
3. each part is typed by gazetteers, organisation and place heads, first names, acronyms and
   the apostrophe case (``Nakura'da`` is a place); unknown sentence-initial words are dropped;
4. a person's later partial mentions (``Erdoğan``) and the publisher's keywords are found.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from annotations.labels import ENTITY_LABELS
from annotations.textfold import lower
from reader.entities import gazetteer
from reader.entities.rules import (
    ADJECTIVES,
    CONNECTORS,
    DEMONYM_ENDINGS,
    LEADING_ARTICLES,
    NAME_PARTICLES,
    NOT_NAMES,
    ORG_HEADS,
    PLACE_FOLLOWERS,
    PLACE_HEADS,
    PLACE_NOUNS,
    PLACE_PREPOSITIONS,
    PLACE_SUFFIXES,
    ROLE_MODIFIERS,
    ROLES,
)

LABELS = tuple(ENTITY_LABELS)  # defined once, in annotations/labels.py
_WORD = re.compile(r"\w+(?:[-.]\w+)*\.?(?:['’]\w+)?")
_SENTENCE_END = frozenset(".!?…")


@dataclass(frozen=True, slots=True)
class Entity:
    text: str
    label: str
    start: int
    end: int

    def as_dict(self) -> dict[str, object]:
        return {"text": self.text, "label": self.label, "start": self.start, "end": self.end}


class Token(NamedTuple):  # a tuple: made 3x faster than a frozen dataclass, for big texts
    start: int
    end: int  # end of the word before any apostrophe suffix
    word: str  # the word before any apostrophe suffix
    suffix: str  # the suffix after the apostrophe, if any

    @property
    def capitalised(self) -> bool:
        first = self.word[0]
        if first.isupper():
            return True
        # el-Sisi, al-Sharaa, eş-Şara: a lowercase article joined to a capitalised name
        head, _, rest = self.word.partition("-")
        return bool(rest) and len(head) <= 2 and rest[:1].isupper()


def tokenize(text: str) -> Tokens:
    tokens = []
    for match in _WORD.finditer(text):
        raw = match.group()
        cut = max(raw.find("'"), raw.find("’"))
        word, suffix = (raw[:cut], raw[cut + 1 :]) if cut > 0 else (raw, "")
        if word.endswith(".") and not _is_abbreviation(word):
            word = word[:-1]  # a sentence's full stop, not part of the word
        if word:
            tokens.append(Token(match.start(), match.start() + len(word), word, suffix))
    return Tokens(tokens)


def _is_abbreviation(word: str) -> bool:
    return word.count(".") >= 2  # U.S., U.K.


def recognize(text: str, keywords: list[str] | tuple[str, ...] = ()) -> list[Entity]:
    """Entities of ``text``, sorted by position, never overlapping."""
    tokens = tokenize(text)
    found: list[Entity] = []
    for run in _runs(text, tokens):
        found.extend(_classify_run(text, run, tokens))
    found = _resolve_overlaps(found)
    found = _add_partial_mentions(text, tokens, found)
    found = _add_keywords(text, tokens, found, keywords)
    return found


# -- runs of capitalised words --------------------------------------------------------------
def _runs(text: str, tokens: Tokens) -> list[list[Token]]:
    runs: list[list[Token]] = []
    current: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        joined = (
            current
            and _adjacent(text, current[-1], token)
            and (not current[-1].suffix or _possessive_inside(current[-1], token))
        )
        if token.capitalised and token.word not in NOT_NAMES:
            if joined:
                current.append(token)
            else:
                if current:
                    runs.append(current)
                current = [token]
        elif joined and token.word in NAME_PARTICLES | CONNECTORS:
            # a particle or connector is kept only if a capitalised word follows it
            look = index + 1
            bridge = [token]
            while look < len(tokens) and tokens[look].word in CONNECTORS | NAME_PARTICLES:
                if not _adjacent(text, tokens[look - 1], tokens[look]):
                    break
                bridge.append(tokens[look])
                look += 1
            nxt = tokens[look] if look < len(tokens) else None
            if (
                nxt is not None
                and nxt.capitalised
                and nxt.word not in NOT_NAMES
                and _adjacent(text, bridge[-1], nxt)
            ):
                current.extend(bridge)
                index = look
                continue
            runs.append(current)
            current = []
        else:
            if current:
                runs.append(current)
            current = []
        index += 1
    if current:
        runs.append(current)
    parts = [part for run in runs for part in _split_connectors(_drop_article(run))]
    return [trimmed for part in parts if (trimmed := _drop_adjective(part))]


def _drop_article(run: list[Token]) -> list[Token]:
    """ "The World Food Programme" -> "World Food Programme" (but "The Hague" stays)."""
    if len(run) > 1 and run[0].word in LEADING_ARTICLES and not gazetteer.lookup(_words(run)):
        return run[1:]
    return run


def _drop_adjective(run: list[Token]) -> list[Token]:
    """A demonym or adjective alone ("Mısırlı", "Egyptian") is not a name."""
    if len(run) == 1 and (_is_demonym(run[0].word) or run[0].word in ADJECTIVES):
        return []
    return run


def _is_demonym(word: str) -> bool:
    return word.endswith(DEMONYM_ENDINGS) and gazetteer.lookup(word[:-2]) == "LOC"


def _possessive_inside(left: Token, right: Token) -> bool:
    """English "Children's Fund": a possessive inside a name, when a capital follows."""
    return left.suffix == "s" and right.capitalised and right.word not in NOT_NAMES


def _adjacent(text: str, left: Token, right: Token) -> bool:
    gap = text[left.end + len(left.suffix) + (1 if left.suffix else 0) : right.start]
    return gap == " "


def _split_connectors(run: list[Token]) -> list[list[Token]]:
    """Keep "X ve Y Başkanlığı" whole only where it names one organisation."""
    for i, token in enumerate(run):
        if token.word in CONNECTORS:
            left, right = run[:i], run[i + 1 :]
            while right and right[0].word in CONNECTORS:
                right = right[1:]
            whole = " ".join(t.word for t in run)
            if gazetteer.lookup(whole):
                return [run]
            parts_known = gazetteer.lookup(_words(left)) or gazetteer.lookup(_words(right))
            if token.word != "in" and not parts_known:
                if right and right[-1].word in ORG_HEADS:
                    return [run]  # "Afet ve Acil Durum Yönetimi Başkanlığı"
                if left and left[-1].word in ORG_HEADS and token.word in ("of", "for"):
                    return [run]  # "International Organization for Migration"
            return _split_connectors(left) + _split_connectors(right)
    return [run] if run and run[-1].word not in NAME_PARTICLES else [run[:-1]] if run[:-1] else []


# -- typing a run ---------------------------------------------------------------------------
def _classify_run(text: str, run: list[Token], tokens: Tokens) -> list[Entity]:
    role_positions = [i for i, t in enumerate(run) if _is_role(run, i)]
    if role_positions:
        first = role_positions[0]
        last = first
        while last + 1 < len(run) and _is_role(run, last + 1):
            last += 1  # "Emir Sheikh", "Secretary General": one role of several words
        left = run[:first]
        while left and left[-1].word in ROLE_MODIFIERS | ADJECTIVES:
            left = left[:-1]
        out = _typed_parts(text, left, tokens, initial_ok=True) if left else []
        person = run[last + 1 :]
        while person and person[0].word in ROLE_MODIFIERS:
            person = person[1:]
        later_role = next((i for i, t in enumerate(person) if _is_role(person, i)), None)
        if later_role is not None:  # "X Başkanı A B ve ... " rarely; keep the first name only
            out.extend(_classify_run(text, person[later_role:], tokens))
            person = person[:later_role]
        if person:
            out.extend(_split_person(text, person, tokens))
        return out
    return _typed_parts(text, run, tokens, initial_ok=False)


def _drop_sentence_opener(text: str, run: list[Token]) -> list[Token]:
    """ "Görüşmede Kalın": a sentence's first word joins a run only by its capital letter.
    Keep it when it is known, or when the run is a whole name ("Milli İstihbarat Teşkilatı")."""
    if len(run) < 2 or not _starts_sentence(text, run[0].start):
        return run
    first = run[0].word
    if first in ROLES or gazetteer.key(first) in gazetteer.first_names():
        return run
    if any(gazetteer.lookup(_words(run[:end])) for end in range(1, len(run) + 1)):
        return run  # "Türk Kızılay ...", "Birleşmiş Milletler ..."
    if run[-1].word in ORG_HEADS | PLACE_HEADS:
        return run
    return run[1:]


def _split_person(text: str, person: list[Token], tokens: Tokens) -> list[Entity]:
    """A name after a role, cut where a known place or organisation follows it without a comma
    ("Bakanı Hakan Fidan Kahire'de")."""
    for end in range(len(person), 0, -1):
        if gazetteer.lookup(_words(person[:end])) == "PERSON":
            rest = person[end:]
            return [_entity(text, person[:end], "PERSON")] + (
                _typed_parts(text, rest, tokens, initial_ok=True) if rest else []
            )
    if len(person) >= 2 and gazetteer.lookup(person[-1].word) in ("LOC", "ORG"):
        return [
            _entity(text, person[:-1], "PERSON"),
            _entity(text, person[-1:], gazetteer.lookup(person[-1].word) or "ENT"),
        ]
    label = gazetteer.lookup(_words(person))
    return [_entity(text, person, label if label in ("ORG", "LOC") else "PERSON")]


def _is_role(run: list[Token], index: int) -> bool:
    """A role word, unless it is a first name starting the name ("Bakanı Emir Han Muttaki")."""
    word = run[index].word
    if word not in ROLES:
        return False
    if index + 1 < len(run) and gazetteer.key(word) in gazetteer.first_names():
        following = run[index + 1].word
        return following in ROLES
    return True


def _typed_parts(text: str, run: list[Token], tokens: Tokens, *, initial_ok: bool) -> list[Entity]:
    """Type a run: whole, or the gazetteer phrases inside it, or drop it."""
    run = _drop_sentence_opener(text, run)
    if not run or len(run) == 1 and len(run[0].word) == 1:
        return []  # an initial alone ("F." of "F. Bahçe") is not a name
    label = _label_of(run, text, tokens)
    if label:
        return [_entity(text, run, label)]
    inside = _gazetteer_phrases(text, run)
    if inside:
        return inside
    if run[0].word in ROLE_MODIFIERS and len(run) == 1:
        return []
    sentence_start = _starts_sentence(text, run[0].start)
    if sentence_start and not initial_ok and len(run) == 1:
        return []
    if gazetteer.key(run[0].word) in gazetteer.first_names() and len(run) > 1:
        return [_entity(text, run, "PERSON")]
    if sentence_start and len(run) == 1:
        return []
    return [_entity(text, run, _guess(text, run, tokens))]


def _label_of(run: list[Token], text: str, tokens: Tokens) -> str | None:
    words = _words(run)
    label = gazetteer.lookup(words)
    if label:
        return label
    last = run[-1].word
    if last in ORG_HEADS and len(run) > 1 or last == "Kızılay":
        return "ORG"
    for i, token in enumerate(run[1:-1], start=1):  # "Organization for Migration"
        if token.word in ("of", "for") and run[i - 1].word in ORG_HEADS:
            return "ORG"
    if last in PLACE_HEADS and len(run) > 1:
        return "LOC"
    if len(run) == 1 and _is_acronym(last):
        return "ORG"
    if len(last) > 5 and lower(last).endswith("spor"):
        return "ORG"  # Trabzonspor, Karşıyaka Spor: a sports club
    known_surname = len(run) == 1 and gazetteer.key(last) in gazetteer.surnames()
    if known_surname and not _starts_sentence(text, run[0].start):
        return "PERSON"  # "Erdoğan'a": the surname of a well-known person
    return None


def _guess(text: str, run: list[Token], tokens: Tokens) -> str:
    """An unknown proper noun: a place if its case suffix or preposition says so."""
    suffix = lower(run[-1].suffix)  # Turkish rules: NAKURA'DIR is -dır
    if suffix in PLACE_SUFFIXES:
        return "LOC"
    before = _previous_word(tokens, run[0])
    if before in PLACE_PREPOSITIONS:
        return "LOC"
    if before == "of" and _previous_word(tokens, run[0], 2) in PLACE_NOUNS:
        return "LOC"
    after = _next_word(tokens, run[-1])
    if not suffix and after.startswith(PLACE_FOLLOWERS):
        return "LOC"
    if len(run) >= 2 and all(t.word[0].isupper() for t in run):
        return "PERSON" if len(run) <= 3 and not suffix.startswith("n") else "ENT"
    if len(run) == 1 and run[0].word[1:].islower() and not _starts_sentence(text, run[0].start):
        return "PERSON"  # a lone unknown name inside a sentence: most often a surname
    return "ENT"


def _gazetteer_phrases(text: str, run: list[Token]) -> list[Entity]:
    """Longest gazetteer phrases inside a run that is not one name as a whole."""
    out: list[Entity] = []
    i = 0
    longest = gazetteer.longest_phrase()
    while i < len(run):
        for j in range(min(len(run), i + longest), i, -1):
            part = run[i:j]
            label = gazetteer.lookup(_words(part))
            if label:
                out.append(_entity(text, part, label))
                i = j
                break
        else:
            i += 1
    return out


def _is_acronym(word: str) -> bool:
    letters = word.replace(".", "")
    return len(letters) >= 2 and letters.isalpha() and letters.isupper()


def _words(run: list[Token]) -> str:
    return " ".join(t.word for t in run)


def _entity(text: str, run: list[Token], label: str) -> Entity:
    start, end = run[0].start, run[-1].end
    return Entity(text[start:end], label, start, end)


def _starts_sentence(text: str, start: int) -> bool:
    pos = start - 1
    while pos >= 0 and text[pos] in " \"'“”‘’«»(":
        pos -= 1
    return pos < 0 or text[pos] in _SENTENCE_END or text[pos] == "\n"


class Tokens(list[Token]):
    """The tokens of a text, with their start offsets for finding neighbours quickly."""

    def __init__(self, tokens: list[Token]) -> None:
        super().__init__(tokens)
        self.starts = [t.start for t in tokens]


def _previous_word(tokens: Tokens, token: Token, back: int = 1) -> str:
    index = bisect_left(tokens.starts, token.start)
    return tokens[index - back].word if index >= back else ""


def _next_word(tokens: Tokens, token: Token) -> str:
    index = bisect_left(tokens.starts, token.start)
    return tokens[index + 1].word if index + 1 < len(tokens) else ""


# -- after typing ---------------------------------------------------------------------------
def _resolve_overlaps(found: list[Entity]) -> list[Entity]:
    found.sort(key=lambda e: (e.start, -(e.end - e.start)))
    out: list[Entity] = []
    for entity in found:
        if out and entity.start < out[-1].end:
            continue
        out.append(entity)
    return out


def _covering(found: list[Entity], starts: list[int], start: int, end: int) -> Entity | None:
    """The entity of ``found`` (sorted, not overlapping) that overlaps [start, end)."""
    index = bisect_right(starts, start) - 1
    if index >= 0 and found[index].end > start:
        return found[index]
    if index + 1 < len(found) and found[index + 1].start < end:
        return found[index + 1]
    return None


def _add_partial_mentions(text: str, tokens: Tokens, found: list[Entity]) -> list[Entity]:
    """``Recep Tayyip Erdoğan`` ... ``Erdoğan``: later mentions of a known person's surname,
    and of a typed name seen in full, take its type (an unknown ``ENT`` mention included)."""
    surnames: dict[str, str] = {}
    known: dict[str, str] = {}
    for entity in found:
        if entity.label != "ENT":
            known[gazetteer.key(entity.text)] = entity.label
        if entity.label == "PERSON" and " " in entity.text:
            surname = entity.text.split()[-1]
            surnames[gazetteer.key(surname)] = "PERSON"
            head, _, rest = surname.partition("-")
            if rest and len(head) <= 2:  # "eş-Şeybani" ... "Şeybani"
                surnames[gazetteer.key(rest)] = "PERSON"
    if not surnames and not known:
        return found
    starts = [e.start for e in found]
    replaced: set[int] = set()
    extra: list[Entity] = []
    folds: dict[str, str] = {}  # a word's key, once per word: a big text repeats its words
    for token in tokens:
        if not token.capitalised:
            continue
        folded = folds.get(token.word)
        if folded is None:
            folded = folds[token.word] = gazetteer.key(token.word)
        label = surnames.get(folded) or known.get(folded)
        if label is None:
            continue
        current = _covering(found, starts, token.start, token.end)
        if current is None:
            extra.append(Entity(token.word, label, token.start, token.end))
        elif current.label == "ENT" and (current.start, current.end) == (token.start, token.end):
            replaced.add(current.start)
            extra.append(Entity(token.word, label, token.start, token.end))
    kept = [e for e in found if e.start not in replaced]
    return _resolve_overlaps(kept + extra)


def _add_keywords(
    text: str, tokens: Tokens, found: list[Entity], keywords: list[str] | tuple[str, ...]
) -> list[Entity]:
    """The publisher's keywords that name something (capitalised) and appear in the text."""
    from reader.core.highlights import phrase_pattern

    extra: list[Entity] = []
    starts = [e.start for e in found]
    for keyword in keywords:
        words = keyword.split()
        if not words or not words[0][:1].isupper():
            continue
        if any(w in ROLES for w in words) or _label_of_text(keyword) is None and len(words) > 4:
            continue
        pattern = phrase_pattern(keyword)
        label = _label_of_text(keyword) or "ENT"
        for match in pattern.finditer(text) if pattern else ():
            start, end = match.start(), match.end()
            if text[start].isupper() and _covering(found, starts, start, end) is None:
                extra.append(Entity(text[start:end], label, start, end))
    return _resolve_overlaps(found + extra) if extra else found


def _label_of_text(phrase: str) -> str | None:
    label = gazetteer.lookup(phrase)
    if label:
        return label
    last = phrase.split()[-1]
    if last in ORG_HEADS:
        return "ORG"
    if last in PLACE_HEADS:
        return "LOC"
    return None
