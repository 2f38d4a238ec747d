"""Fit the footer to the terminal: what a rep needs most, never cut mid-word.

Textual's footer shows every binding marked `show` and cuts what does not
fit. At 80 columns that cut away help and quit. Here each screen names its
keys in order of importance; the footer shows as many as fit, in that order
of importance, and the nine outcome keys fold into one "1–9 Outcome" entry
when they would crowd out the rest. Keys that are not shown still work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from textual.binding import ActiveBinding

OUTCOMES = "outcomes"  # stands for every outcome binding in a screen's order
# Always shown when anything is: how to get help and how to get out.
ESSENTIAL: tuple[str, ...] = ("app.help", "app.quit")
# Shown last, at the right, wherever they are in the order.
AT_THE_END: tuple[str, ...] = ("app.help", "app.palette", "app.quit")


def is_outcome(active: ActiveBinding) -> bool:
    return active.binding.action.startswith("outcome(")


def entry_width(key_display: str, description: str) -> int:
    # A compact footer key is "key description" plus one space of padding.
    return len(key_display) + (1 + len(description) if description else 0) + 1


def fit_footer(
    bindings: dict[str, ActiveBinding],
    width: int,
    order: Iterable[str],
    key_display: dict[str, str],
) -> dict[str, ActiveBinding]:
    """The bindings with `show` turned off for those that do not fit in `width` columns.

    `order` lists binding ids (and `OUTCOMES`), most important first; shown
    bindings not in it come after, as Textual ordered them. `key_display`
    gives each key's text as the footer draws it."""
    shown = [key for key, active in bindings.items() if active.binding.show]
    by_id = {bindings[key].binding.id: key for key in shown if bindings[key].binding.id}
    outcome_keys = [key for key in shown if is_outcome(bindings[key])]
    every_outcome = [key for key in bindings if is_outcome(bindings[key])]  # 8 and 9 too, for "1–9"
    ranked: list[str] = []
    for name in order:
        if name == OUTCOMES:
            ranked.append(OUTCOMES)
        elif name in by_id and by_id[name] not in ranked:
            ranked.append(by_id[name])
    # A binding with two keys ("right,j") is one entry: its other key is not shown again.
    ranked += [key for key in shown if key not in ranked and key not in outcome_keys
               and by_id.get(bindings[key].binding.id or "", key) == key]
    if outcome_keys and OUTCOMES not in ranked:
        ranked.insert(0, OUTCOMES)

    def width_of(key: str) -> int:
        binding = bindings[key].binding
        return entry_width(key_display.get(key, key), binding.description)

    expanded = sum(width_of(key) for key in outcome_keys)
    folded = entry_width(fold_keys(every_outcome), "Outcome") if outcome_keys else 0
    essential = [by_id[name] for name in ESSENTIAL if name in by_id]
    essential_width = sum(width_of(key) for key in essential)
    # The outcome keys spell themselves out only when the screen's next most needed keys (new card, next,
    # find) still fit beside them: a wide footer of outcomes must not push out find.
    needed = [key for key in ranked if key != OUTCOMES and key not in essential][:2]
    if "app.find" in by_id and by_id["app.find"] not in needed:
        needed.append(by_id["app.find"])
    fold = bool(outcome_keys) and expanded + essential_width + sum(width_of(key) for key in needed) > width

    chosen: list[str] = []
    used = 0
    for key in essential:
        used += width_of(key)
        chosen.append(key)
    for key in ranked:
        if key in chosen:
            continue
        need = (folded if fold else expanded) if key == OUTCOMES else width_of(key)
        if used + need <= width:
            chosen.append(key)
            used += need
    return _rebuild(bindings, chosen, outcome_keys, every_outcome, fold)


def fold_keys(outcome_keys: list[str]) -> str:
    if not outcome_keys:
        return ""
    return f"{outcome_keys[0]}–{outcome_keys[-1]}" if len(outcome_keys) > 1 else outcome_keys[0]


def _rebuild(
    bindings: dict[str, ActiveBinding], chosen: list[str], outcome_keys: list[str], every_outcome: list[str], fold: bool
) -> dict[str, ActiveBinding]:
    def hidden(active: ActiveBinding) -> ActiveBinding:
        return active._replace(binding=replace(active.binding, show=False))

    result: dict[str, ActiveBinding] = {}
    end = [key for key in chosen if key != OUTCOMES and bindings[key].binding.id in AT_THE_END]
    end.sort(key=lambda key: AT_THE_END.index(bindings[key].binding.id or ""))
    for key in chosen:
        if key in end:
            continue
        if key == OUTCOMES:
            for index, outcome_key in enumerate(outcome_keys):
                active = bindings[outcome_key]
                if not fold:
                    result[outcome_key] = active
                elif index == 0:
                    binding = replace(active.binding, key_display=fold_keys(every_outcome), description="Outcome",
                                      tooltip="Log what happened on the call: 1 no answer … 9 do not call")
                    result[outcome_key] = active._replace(binding=binding)
                else:
                    result[outcome_key] = hidden(active)
        else:
            result[key] = bindings[key]
    for key in end:
        result[key] = bindings[key]
    for key, active in bindings.items():
        if key not in result:
            result[key] = hidden(active) if active.binding.show else active
    return result
