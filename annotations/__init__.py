"""Annotation model, the library on disk, export and import. Never imports textual or reader."""
