"""The error every parser raises for input it cannot use."""


class IngestError(ValueError):
    """Why a file (or a record in it) cannot be imported; shown to the user."""


INTERNAL = "could not be read because of a fault in haber-okur"


def internal_error(exc: BaseException) -> str:
    """The problem reported for an unexpected exception while reading one file or record
    (the others are still read): what it was, without the input it was reading."""
    return f"{INTERNAL} ({type(exc).__name__}); please report it"
