"""Annotations in other tools' formats, out (:mod:`.exporting`) and in (:mod:`.reading`):
docs/exchange.md. Kept light: the command line names the formats at every start."""

FORMATS = ("yaml", "jsonl", "doccano", "brat", "conll", "label-studio", "w3c")
FOLDER_FORMATS = frozenset({"brat"})  # written as a folder of files
