"""Errors that users see as a short message with no traceback (CLI exit code 2)."""

from __future__ import annotations


class WxshopError(Exception):
    """Base class: a problem the user can fix; shown without traceback."""


class ParamsError(WxshopError):
    """A parameter file or value is wrong."""


class DataError(WxshopError):
    """A store's data cannot be used.

    Attributes name the file and column at fault and how to fix it; ``str(e)`` is the
    short message shown to users.
    """

    def __init__(
        self, message: str, *, file: str | None = None, column: str | None = None, fix: str = ""
    ) -> None:
        self.file = file
        self.column = column
        self.fix = fix
        text = message if not fix or fix in message else f"{message} Fix: {fix}"
        super().__init__(text)
