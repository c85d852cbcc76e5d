"""User-facing errors.

Every failure the user can cause (bad file, missing catalog, unreadable letter) is raised as a
:class:`NocmatchError`. The CLI prints its message as one line and exits non-zero; the library
lets it propagate so a notebook sees the same message.
"""


class NocmatchError(Exception):
    """An error whose message is a complete one-line explanation for the user."""

    exit_code = 2


class InputError(NocmatchError):
    """The letter (or other input the user gave) cannot be used."""

    exit_code = 3


class CatalogError(NocmatchError):
    """The NOC tables or the built catalog are missing, partial or malformed."""

    exit_code = 4
