"""The error every parser raises for input it cannot use."""


class IngestError(ValueError):
    """Why a file (or a record in it) cannot be imported; shown to the user."""
