import time

T0 = time.perf_counter()  # before any other import: the probe's own clock starts here

"""One measurement run of the cardbox app, in its own process (driven by bench/bench_app.py).

    python bench/app_probe.py launch-cardbox BOX.json [--profile OUT.prof]
    python bench/app_probe.py launch-bare
    python bench/app_probe.py interact BOX.json RESULT.json [--profile-dir DIR]

launch-*   run the real start-up path headless at 120x40 (for cardbox:
           `cardbox.ui.launch.run_app`, i.e. settings, Box open, due(),
           make_app, App.run) and print ``FIRST_PAINT <seconds since T0>``
           straight to fd 1 the moment the first frame holding the first
           card (or the bare app's label) has been rendered, then exit.
interact   drive one app (make_app, as the tests build it) with key events
           sent the way the terminal driver sends them, and write every
           timing to RESULT.json.

"Painted" means: the compositor produced the frame *and* it was turned into
the terminal escape sequence a real terminal would be sent
(``CompositorUpdate.render_segments``). The headless driver skips that last
step, so the probe does it in a hook on ``App._display``: the cost of a real
frame minus the write(2) itself.
"""

import asyncio  # noqa: E402
import collections  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

SIZE = (120, 40)
GAP = 0.15  # pause between measured presses, so one press's trailing work does not land in the next
STAMPS: dict[str, float] = {}


def now() -> float:
    return time.perf_counter()


def stamp(name: str) -> None:
    STAMPS.setdefault(name, now() - T0)


def emit(line: str) -> None:
    # Straight to the fd: a running Textual app captures sys.stdout.
    os.write(1, (line + "\n").encode())


# -- the paint hook -----------------------------------------------------------


class Paints:
    """Every frame the app displays: (frame start, frame end, rendered text)."""

    def __init__(self) -> None:
        # The last frames only: a frame's text is ~20-50 kB, and a whole run's worth of them
        # (hundreds) would be counted in the app's peak memory as if cardbox held them.
        self.frames: collections.deque[tuple[float, float, str]] = collections.deque(maxlen=32)
        self.frame_start: float | None = None
        self.on_frame = None  # callback(start, end, text)
        self._waiters: list[tuple[float, str | None, asyncio.Future]] = []

    def install(self) -> None:
        from textual.app import App
        from textual.screen import Screen

        original_display = App._display
        original_timer_update = Screen._on_timer_update
        paints = self

        def _on_timer_update(screen):
            paints.frame_start = now()
            try:
                return original_timer_update(screen)
            finally:
                paints.frame_start = None

        def _display(app, screen, renderable):
            start = paints.frame_start if paints.frame_start is not None else now()
            original_display(app, screen, renderable)
            if renderable is None or app._batch_count:
                return
            render = getattr(renderable, "render_segments", None)
            text = render(app.console) if render is not None else ""
            end = now()
            paints.frames.append((start, end, text))
            if paints.on_frame is not None:
                paints.on_frame(app, start, end, text)
            for waiter in list(paints._waiters):
                after, needle, future = waiter
                if start >= after and (needle is None or needle in text) and not future.done():
                    future.set_result((start, end))
                    paints._waiters.remove(waiter)

        Screen._on_timer_update = _on_timer_update
        App._display = _display

        from textual.widget import Widget

        original_recompose = Widget.recompose
        self.recomposes: list[tuple[float, float, str]] = []

        async def recompose(widget):
            start = now()
            try:
                return await original_recompose(widget)
            finally:
                paints.recomposes.append((start, now(), type(widget).__name__))

        Widget.recompose = recompose

    def recompose_ms(self, start: float, end: float) -> float:
        """Time spent recomposing widgets (e.g. the Footer) between `start` and `end`."""
        return sum(b - a for a, b, _ in self.recomposes if a >= start and b <= end) * 1000

    async def wait(self, after: float, needle: str | None = None, timeout: float = 10.0):
        """The first frame that started after `after` (and shows `needle`): (start, end)."""
        for start, end, text in self.frames:
            if start >= after and (needle is None or needle in text):
                return start, end
        future = asyncio.get_running_loop().create_future()
        waiter = (after, needle, future)
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
            return None


# -- launch -------------------------------------------------------------------


def force_headless() -> None:
    from textual.app import App

    original_run = App.run

    def run(self, *args, **kwargs):
        stamp("app.run called")
        kwargs["headless"] = True
        kwargs["size"] = SIZE
        return original_run(self, *args, **kwargs)

    App.run = run


def finish_launch(app, marker: float, profiler=None, profile_path: str | None = None) -> None:
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile_path)
    emit(f"FIRST_PAINT {marker:.6f}")
    emit("STAMPS " + json.dumps(STAMPS))
    app.exit()


def launch_cardbox(box_path: str, profile_path: str | None) -> int:
    profiler = None
    if profile_path:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    stamp("probe imports done")
    paints = Paints()
    paints.install()
    force_headless()

    from cardbox.core import box as box_mod

    original_init, original_due = box_mod.Box.__init__, box_mod.Box.due

    def box_init(self, *args, **kwargs):
        stamp("Box() start")
        original_init(self, *args, **kwargs)
        stamp("Box() opened")

    def box_due(self, day):
        result = original_due(self, day)
        stamp("first due() done")
        return result

    box_mod.Box.__init__, box_mod.Box.due = box_init, box_due

    done = False

    def on_frame(app, start, end, text):
        nonlocal done
        if done:
            return
        stamp("first frame (any)")
        screen = app.screen
        if type(screen).__name__ != "TodayScreen" or not screen.deck.ids:
            return
        card_id = screen.deck.ids[screen.deck.index]
        if f"#{card_id}" not in text:
            return
        done = True
        marker = end - T0
        STAMPS["first card painted"] = marker
        finish_launch(app, marker, profiler, profile_path)

    paints.on_frame = on_frame

    from cardbox.ui import launch

    original_mount = None
    from cardbox.ui.screens.today import TodayScreen

    original_mount = TodayScreen.on_mount

    def on_mount(self):
        stamp("TodayScreen.on_mount start")
        original_mount(self)
        stamp("TodayScreen.on_mount done")

    TodayScreen.on_mount = on_mount
    stamp("instrumented, calling run_app")
    code = launch.run_app(Path(box_path))
    stamp("run_app returned")
    emit("STAMPS " + json.dumps(STAMPS))
    return code


def launch_bare() -> int:
    stamp("probe imports done")
    paints = Paints()
    paints.install()
    force_headless()
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    stamp("textual imported")

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("first card would be here")

    done = False

    def on_frame(app, start, end, text):
        nonlocal done
        if not done and "first card would be here" in text:
            done = True
            STAMPS["label painted"] = end - T0
            finish_launch(app, end - T0)

    paints.on_frame = on_frame
    Bare().run()
    stamp("run returned")
    emit("STAMPS " + json.dumps(STAMPS))
    return 0


# -- interact -----------------------------------------------------------------


def key_event(app, key: str):
    """Send one key the way the terminal driver does (no Pilot overhead)."""
    from textual import events

    char = " " if key == "space" else (key if len(key) == 1 else None)
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 3)


async def settle(app, seconds: float = 0.03) -> None:
    await asyncio.sleep(seconds)


async def interact(box_path: str, result_path: str, profile_dir: str | None, next_presses: int, outcome_presses: int) -> int:
    from datetime import datetime

    from cardbox.core.box import Box
    from cardbox.core.settings import Settings
    from cardbox.process import bulk_load
    from cardbox.ui.app import make_app
    from cardbox.ui.widgets.card_list import CardList

    NOW = datetime(2026, 11, 22, 10, 0)
    clock = lambda: NOW  # noqa: E731
    paints = Paints()
    paints.install()
    result: dict = {"size": None}

    profiler = None
    if profile_dir:
        import cProfile

        profiler = cProfile.Profile()

    def prof_on():
        if profiler is not None:
            profiler.enable()

    def prof_off(name: str):
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(os.path.join(profile_dir, f"{name}.prof"))
            profiler.clear() if hasattr(profiler, "clear") else None

    started = now()
    box = Box(box_path, clock=clock, loading=bulk_load)
    result["size"] = len(box)
    result["open_s"] = now() - started
    app = make_app(box, clock=clock, settings=Settings(), settings_path=None, watch_interval=0)

    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "TodayScreen", screen
        await paints.wait(0, f"#{screen.deck.ids[screen.deck.index]}")
        result["deck"] = len(screen.deck.ids)

        # Marks: when show_current (the synchronous part) finished, and which card it put up.
        shown: list[tuple[float, int | None]] = []
        original_show = screen.show_current

        def show_current():
            original_show()
            card = screen.current()
            shown.append((now(), card.id if card is not None else None))

        screen.show_current = show_current
        after_save: list[float] = []
        original_merge = screen.on_box_changed

        def on_box_changed(event):
            t = now()
            original_merge(event)
            after_save.append(now() - t)

        screen.on_box_changed = on_box_changed

        # -- 3. next card -------------------------------------------------
        sync_only, to_paint, frame_work, key_to_paint, trailing = [], [], [], [], []
        prof_on()
        for i in range(next_presses):
            if screen.deck.index + 1 >= len(screen.deck.ids):
                screen.deck.index = 0
                screen.show_current()
                await paints.wait(now(), f"#{screen.deck.ids[0]}")
                await settle(app)
            expected = screen.deck.ids[screen.deck.index + 1]
            if i % 2 == 0:
                # the action alone, called directly
                t0 = now()
                screen.action_next()
                t1 = now()
                sync_only.append(t1 - t0)
                frame = await paints.wait(t1, f"#{expected}")
                to_paint.append(frame[1] - t0 if frame else None)
                frame_work.append(frame[1] - frame[0] if frame else None)
            else:
                # the "right" key through the app's key handling and bindings
                t0 = now()
                key_event(app, "right")
                frame = await paints.wait(t0, f"#{expected}")
                key_to_paint.append(frame[1] - t0 if frame else None)
                frame_work.append(frame[1] - frame[0] if frame else None)
            await settle(app, GAP)
            trailing.append(paints.recompose_ms(t0, now()))
        prof_off("next")
        result["next"] = {
            "action_sync_ms": [ms(x) for x in sync_only],
            "action_to_paint_ms": [ms(x) for x in to_paint],
            "key_to_paint_ms": [ms(x) for x in key_to_paint],
            "frame_work_ms": [ms(x) for x in frame_work],
            "recompose_ms": trailing,
        }

        # -- 4. outcome logged, next card shown, save in the background -----
        screen.deck.index = 0
        screen.show_current()
        await paints.wait(now(), f"#{screen.deck.ids[0]}")
        await settle(app, 0.5)
        key_sync, key_shown, key_saved, merge_ms, out_recompose = [], [], [], [], []
        keys = ("1", "2")
        prof_on()
        for i in range(min(outcome_presses, len(screen.deck.ids) - 1)):
            key = keys[i % 2]
            shown.clear()
            after_save.clear()
            before_index = screen.deck.index
            t0 = now()
            key_event(app, key)
            # wait for the handler to move on
            while not shown:
                await asyncio.sleep(0)
                if now() - t0 > 5:
                    break
            if not shown:
                key_sync.append(None)
                key_shown.append(None)
                continue
            t_sync, card_id = shown[0]
            key_sync.append(t_sync - t0)
            frame = await paints.wait(t_sync, f"#{card_id}")
            key_shown.append(frame[1] - t0 if frame else None)
            await app.saver.drain()
            key_saved.append(now() - t0)
            # the done-callback (undo stack, BoxChanged -> merge_new_due) runs on the UI thread
            for _ in range(200):
                if after_save:
                    break
                await asyncio.sleep(0.005)
            merge_ms.append(sum(after_save) if after_save else None)
            assert screen.deck.index != before_index or screen.deck.finished
            await settle(app, GAP)
            out_recompose.append(paints.recompose_ms(t0, now()))
        prof_off("outcome")
        result["outcome"] = {
            "key_to_sync_ms": [ms(x) for x in key_sync],
            "key_to_paint_ms": [ms(x) for x in key_shown],
            "key_to_saved_ms": [ms(x) for x in key_saved],
            "after_save_ui_ms": [ms(x) for x in merge_ms],
            "recompose_ms": out_recompose,
        }

        # -- 5. find, keystroke by keystroke --------------------------------
        await app.saver.drain()
        await settle(app, 0.2)
        t0 = now()
        key_event(app, "slash")
        for _ in range(1000):
            if type(app.screen).__name__ == "FindScreen":
                break
            await asyncio.sleep(0.001)
        find_screen = app.screen
        frame = await paints.wait(t0, "ype to search")  # the cursor sits on the "t"
        result["find_open_ms"] = ms(frame[1] - t0 if frame else None)
        await settle(app, 0.1)
        card_list = find_screen.query_one(CardList)
        set_marks: list[float] = []
        original_set_ids = card_list.set_ids

        def set_ids(ids, **kwargs):
            original_set_ids(ids, **kwargs)
            set_marks.append(now())

        card_list.set_ids = set_ids
        find_calls: list[tuple[str, float, int]] = []
        original_find = app.box.find_hits  # what the find screen asks

        def timed_find(query):
            t = now()
            found = original_find(query)
            find_calls.append((query, now() - t, len(found)))
            return found

        app.box.find_hits = timed_find
        from textual.widgets import Input

        find_input = find_screen.query_one("#find-input", Input)
        queries = {"name": "kowalski", "phone": "555 01"}
        result["find"] = {}
        prof_on()
        for label, query in queries.items():
            rows = []
            for n, ch in enumerate(query, 1):
                set_marks.clear()
                find_calls.clear()
                key = "space" if ch == " " else ch
                t0 = now()
                key_event(app, key)
                while not set_marks and now() - t0 < 30:
                    await asyncio.sleep(0)
                t_set = set_marks[0] if set_marks else None
                frame = await paints.wait(t_set, None) if t_set else None
                fq, ft, fn = find_calls[0] if find_calls else (None, None, None)
                rows.append({
                    "typed": query[:n],
                    "key_to_results_set_ms": ms(t_set - t0 if t_set else None),
                    "key_to_paint_ms": ms(frame[1] - t0 if frame else None),
                    "box_find_ms": ms(ft),
                    "hits": fn,
                })
                await settle(app, 0.08)  # a fast typist: ~10 keys a second
            result["find"][label] = rows
            find_input.value = ""
            await settle(app, 0.2)
        prof_off("find")
        app.box.find_hits = original_find

        # box.find alone, on the app's (now warm) box, and on a cold box
        warm = {}
        for query in ("k", "kowalski", "5", "555 01"):
            t = now()
            app.box.find_ids(query)
            warm[query] = ms(now() - t)
        result["find_warm_alone_ms"] = warm
        key_event(app, "escape")
        await settle(app, 0.1)

        # -- 6. switching screens: F3 Session, F4 Box, F5 Numbers, F2 Today; twice round -------
        # The first round mounts each screen (Numbers counts in the background: its frame is the
        # screen with "counting…" or its figures); the second is the switch a rep makes all day.
        switches: dict[str, list] = {"first": [], "again": []}
        for round_name in ("first", "again"):
            for key, needle in (("f3", "COLD SALES"), ("f4", "Needs a date"), ("f5", "Cold calls"), ("f2", "WHEN")):
                t0 = now()
                key_event(app, key)
                frame = await paints.wait(t0, needle)
                switches[round_name].append({"key": key, "key_to_paint_ms": ms(frame[1] - t0 if frame else None)})
                await settle(app, 0.4)
        result["switch"] = switches

    import resource

    # Peak resident memory of the app process so far: launch, a review, outcomes saved, find.
    # (Measured before the extra cold boxes below, which a rep's app never opens.)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cold_box = Box(box_path, clock=clock, loading=bulk_load)
    t = now()
    cold_box.find_ids("k")
    result["find_cold_first_ms"] = ms(now() - t)
    t = now()
    cold_box.find_ids("ko")
    result["find_cold_second_ms"] = ms(now() - t)
    cold_box2 = Box(box_path, clock=clock, loading=bulk_load)
    t = now()
    cold_box2.warm_search()
    result["search_index_build_ms"] = ms(now() - t)
    t = now()
    for query in ("kowalski",):
        hits = cold_box2.find_ids(query)
    result["find_after_index_ms"] = ms(now() - t)
    result["find_after_index_hits"] = len(hits)

    Path(result_path).write_text(json.dumps(result, indent=1))
    return 0


def main(argv: list[str]) -> int:
    mode = argv[0]
    if mode == "launch-cardbox":
        profile = argv[argv.index("--profile") + 1] if "--profile" in argv else None
        return launch_cardbox(argv[1], profile)
    if mode == "launch-bare":
        return launch_bare()
    if mode == "interact":
        profile_dir = argv[argv.index("--profile-dir") + 1] if "--profile-dir" in argv else None
        next_presses = int(argv[argv.index("--next") + 1]) if "--next" in argv else 50
        outcome_presses = int(argv[argv.index("--outcomes") + 1]) if "--outcomes" in argv else 30
        return asyncio.run(interact(argv[1], argv[2], profile_dir, next_presses, outcome_presses))
    raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
