"""Named entities: an offline recogniser for Turkish and English, and user corrections.

Pure functions of text: ``recognize(text, keywords)`` and ``apply_corrections(text, entities,
corrections)``. Gazetteers are read from the package on first use.
"""

from collections.abc import Sequence

from annotations.records import EntityCorrection
from reader.entities.corrections import apply_corrections
from reader.entities.recognizer import LABELS, Entity, recognize

__all__ = ["LABELS", "Entity", "apply_corrections", "entities_for", "recognize"]


def entities_for(
    text: str, keywords: list[str], corrections: Sequence[EntityCorrection]
) -> list[Entity]:
    """What the app and the command line show: recognised, then corrected by the user."""
    return apply_corrections(text, recognize(text, keywords), corrections)
