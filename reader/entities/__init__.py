"""Named entities: an offline recogniser for Turkish and English, and user corrections.

Pure functions of text: ``recognize(text, keywords)`` (the rules) and ``apply_corrections(text,
entities, corrections)``. Gazetteers are read from the package on first use. A trained model
(``reader entities train``), when there is one, is used instead of the rules
(``reader.entities.models``); ``recogniser_version()`` names what is in force.
"""

from collections.abc import Sequence

from annotations.records import EntityCorrection
from reader.entities.corrections import apply_corrections
from reader.entities.models import recogniser_version
from reader.entities.recognizer import LABELS, Entity, recognize

__all__ = [
    "LABELS",
    "Entity",
    "apply_corrections",
    "entities_for",
    "recogniser_version",
    "recognize",
]


def entities_for(
    text: str, keywords: list[str], corrections: Sequence[EntityCorrection]
) -> list[Entity]:
    """What the app and the command line show: recognised (by the model in force, else the
    rules), then corrected by the user."""
    from reader.entities.models import current

    return apply_corrections(text, current().recognise(text, keywords), corrections)
