"""Entity labels: defined here once, used by the recogniser, the app, the exports and imports."""

from __future__ import annotations

PERSON, ORG, LOC, ENT = "PERSON", "ORG", "LOC", "ENT"

#: label -> what a person calls it (singular, plural)
ENTITY_LABELS: dict[str, tuple[str, str]] = {
    PERSON: ("person", "People"),
    ORG: ("organisation", "Organisations"),
    LOC: ("place", "Places"),
    ENT: ("other name", "Other names"),
}

#: labels other tools use, mapped to ours (spaCy, Prodigy, CoNLL)
FOREIGN_LABELS: dict[str, str] = {
    "PERSON": PERSON,
    "PER": PERSON,
    "ORG": ORG,
    "LOC": LOC,
    "GPE": LOC,
    "FAC": LOC,
    "ENT": ENT,
    "MISC": ENT,
}


def is_entity_label(label: object) -> bool:
    return isinstance(label, str) and label in ENTITY_LABELS
