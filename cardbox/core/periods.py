"""The periods the numbers are counted over (cardbox.core.numbers counts them).

Apart from the numbers so that naming them (`cardbox stats --period`, the
CLI's help) does not load the numbers and pendulum."""

PERIODS: tuple[str, ...] = ("today", "week", "month", "all")
