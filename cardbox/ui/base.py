"""Screens that know they belong to cardbox: `self.app` is typed as the cardbox app."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual import events, on
from textual.binding import ActiveBinding
from textual.screen import ModalScreen, Screen

from cardbox.ui.footer_fit import fit_footer

if TYPE_CHECKING:
    from cardbox.ui.app import CardboxApp

ResultT = TypeVar("ResultT")


class CardboxScreen(Screen[ResultT]):
    # Binding ids (and footer_fit.OUTCOMES), most important first: what the
    # footer keeps when the terminal is narrow.
    FOOTER_ORDER: ClassVar[tuple[str, ...]] = ()

    # Narrows Textual's `App` to cardbox's, so screens reach the box, clock
    # and saver with their types (Textual declares `app` as a plain attribute).
    @property
    def app(self) -> CardboxApp:  # type: ignore[override]
        return cast("CardboxApp", super().app)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings = self.every_binding()
        display = {key: self.app.get_key_display(active.binding) for key, active in bindings.items()}
        return fit_footer(bindings, self.app.size.width, self.FOOTER_ORDER, display)

    def every_binding(self) -> dict[str, ActiveBinding]:
        """Every key live on this screen (after the rep's keymap), before the footer picks what fits."""
        return self.label_bindings(super().active_bindings)

    def key_for(self, binding_id: str, default: str) -> str:
        """The key that runs `binding_id` now, as the footer writes it (so hints follow a keymap)."""
        for active in self.every_binding().values():
            if active.binding.id == binding_id:
                return self.app.get_key_display(active.binding)
        return default

    def label_bindings(self, bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
        """A screen's chance to change what the footer says (before it is fitted)."""
        return bindings

    @on(events.Resize)
    def _fit_footer_to_width(self, event: events.Resize) -> None:
        self.refresh_bindings()  # the footer is fitted to the width

    @on(events.DescendantFocus)
    def _steady_cursor(self, event: events.DescendantFocus) -> None:
        # The rep's "cursor_blink": false, for every text field as it takes the focus (Input, TextArea).
        if not self.app.settings.cursor_blink and getattr(event.widget, "cursor_blink", False):
            event.widget.cursor_blink = False  # type: ignore[attr-defined]


class CardboxModal(ModalScreen[ResultT], CardboxScreen[ResultT]):
    """A dialog of cardbox's, returning a `ResultT` with `dismiss`."""
