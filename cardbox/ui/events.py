"""What the app tells its screens."""

from __future__ import annotations

from dataclasses import dataclass

from cardbox.core.box import Change


@dataclass(frozen=True)
class BoxChanged:
    """Published after the box changed: by this app (`change`) or by another process (None)."""

    change: Change | None
    undone: bool = False
