"""Refusals: PhraseError and the example phrases it offers."""

from __future__ import annotations

MAX_LEN = 200
FAR_YEARS = 5

GENERAL_EXAMPLES = ("late January", "next Tuesday at 4", "in 6 weeks")
TIME_EXAMPLES = ("tomorrow at 4", "Thursday 4:30pm", "16:00")
DATE_EXAMPLES = ("Jan 25", "the 15th", "next Friday")
PAST_EXAMPLES = ("tomorrow", "next week", "in 2 weeks")


class PhraseError(ValueError):
    """A phrase that cannot be a callback date; str() is one line: why, then what works."""

    def __init__(self, reason: str, examples: tuple[str, ...] = GENERAL_EXAMPLES) -> None:
        self.reason = reason
        self.examples = tuple(examples)
        tries = ", ".join(f"'{err}'" for err in self.examples[:-1])
        tries = f"{tries} or '{self.examples[-1]}'" if tries else f"'{self.examples[-1]}'"
        super().__init__(f"{reason} — try {tries}")


def _quote(text: str) -> str:
    # The message must stay on one line whatever the user typed.
    clean = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    if len(clean) > 40:
        clean = clean[:39] + "…"
    return f"'{clean}'"
