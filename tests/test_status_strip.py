"""The top line fits its width: the least needed parts go first, whole, never cut mid-word."""

from __future__ import annotations

import pytest
from app_support import build_app, review_box

from cardbox.ui.widgets.status_strip import fit_parts


def test_fit_parts_leaves_out_whole_parts_least_needed_first():
    parts = [("Today", 0), ("card 1 of 18", 0), ("6 overdue", 2), ("17 to go", 1), ("0:03 into today's review", 4)]
    assert fit_parts(parts, 200) == "Today · card 1 of 18 · 6 overdue · 17 to go · 0:03 into today's review"
    assert fit_parts(parts, 45) == "Today · card 1 of 18 · 6 overdue · 17 to go"
    assert fit_parts(parts, 31) == "Today · card 1 of 18 · 17 to go"
    assert fit_parts(parts, 5) == "Today · card 1 of 18"  # what must stay, stays


@pytest.mark.parametrize("width", [80, 100, 120])
async def test_the_top_line_is_never_cut(box_path, width):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.press("1", "c")  # one worked (to go, review time) and the channel changed
        await pilot.pause()
        for key in ("f2", "f4"):
            await pilot.press(key)
            await pilot.pause()
            where = app.screen.query_one("#strip-where")
            text = str(where.render())
            assert len(text) <= where.size.width, (key, text)
        await pilot.press("f2")
        await pilot.pause()
        text = str(app.screen.query_one("#strip-where").render())
        assert "logging as voicemail" in text and "card " in text
