"""Errors the core raises for input a rep can correct."""

from __future__ import annotations


class CardError(ValueError):
    """Input that cannot go on a card; the message says what would work.

    `field` names the input that is wrong ("name", "phone", "email", "when",
    …) so a form can put the cursor there without reading the message.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
