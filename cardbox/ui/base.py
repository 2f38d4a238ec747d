"""Screens that know they belong to cardbox: `self.app` is typed as the cardbox app."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from cardbox.ui.app import CardboxApp

ResultT = TypeVar("ResultT")


class CardboxScreen(Screen[ResultT]):
    # Narrows Textual's `App` to cardbox's, so screens reach the box, clock
    # and saver with their types (Textual declares `app` as a plain attribute).
    @property
    def app(self) -> CardboxApp:  # type: ignore[override]
        return cast("CardboxApp", super().app)


class CardboxModal(ModalScreen[ResultT], CardboxScreen[ResultT]):
    """A dialog of cardbox's, returning a `ResultT` with `dismiss`."""
