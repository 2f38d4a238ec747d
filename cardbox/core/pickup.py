"""When this prospect picks up, and what to change after calls that go unanswered.

From the card's own history, not a fixed script: the times they answered
("last answered: Tue 9:10, Thu 8:45 — mornings"), and after several unanswered
calls in a row a nudge to vary what has not worked — the channel, the time
of day — saying why (the seeds: vary channel and message, cool down or heat
up).
"""

from __future__ import annotations

from collections import Counter

from cardbox.core import outcomes
from cardbox.core.card import Card

NUDGE_AFTER = 3  # unanswered in a row
PARTS = ("morning", "afternoon", "evening")
OTHER_CHANNELS = {"call": "an email or a text", "voicemail": "an email or a text", "email": "a call", "text": "a call"}


def part_of_day(hour: int) -> str:
    return "morning" if hour < 12 else "afternoon" if hour < 17 else "evening"


def picked_up(card: Card, shown: int = 3) -> str:
    """"last answered: Tue 9:10, Thu 8:45 — mornings" (when they picked up), or "" when they never did."""
    answered = [attempt for attempt in card.attempts if outcomes.reached(attempt.outcome)]
    if not answered:
        return ""
    times = ", ".join(f"{a.at:%a} {a.at.hour}:{a.at:%M}" for a in answered[-shown:])
    parts = Counter(part_of_day(a.at.hour) for a in answered)
    part, count = parts.most_common(1)[0]
    habit = f" — {part}s" if len(answered) >= 2 and count * 2 > len(answered) else ""
    return f"last answered: {times}{habit}"


def nudge(card: Card) -> str:
    """After several unanswered calls in a row, what to change and why; "" otherwise."""
    streak = card.unanswered_streak
    if streak < NUDGE_AFTER:
        return ""
    tried = card.attempts[-streak:]
    channels = {a.channel for a in tried}
    parts = {part_of_day(a.at.hour) for a in tried}
    said = [f"{streak} unanswered in a row"]
    ideas = []
    answered = [a for a in card.attempts if outcomes.reached(a.outcome)]
    answered_parts = Counter(part_of_day(a.at.hour) for a in answered)
    if len(parts) == 1:
        (only,) = parts
        said.append(f"all in the {only}")
        liked = next((p for p, _ in answered_parts.most_common() if p != only), None)
        if liked:
            ideas.append(f"try the {liked} (they picked up then before)")
        else:
            ideas.append(f"try the {'afternoon' if only == 'morning' else 'morning'}")
    if len(channels) == 1:
        (channel,) = channels
        said.append(f"all by {channel}")
        ideas.append(f"try {OTHER_CHANNELS.get(channel, 'another channel')}")
    if not ideas:
        ideas.append("change the message (a new reason to talk), or let it cool down longer")
    return f"{', '.join(said)}: {'; '.join(ideas)}"
