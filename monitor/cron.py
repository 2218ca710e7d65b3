"""Crontab lines as APScheduler triggers, with crontab's weekdays: 0 and 7 are Sunday, 1 is Monday.

APScheduler 3 numbers weekdays from Monday = 0, so '1-5' would mean Tuesday to Saturday there;
numeric weekdays are rewritten as names before the trigger is built.
"""

from __future__ import annotations

from apscheduler.triggers.cron import CronTrigger

from monitor.errors import ConfigError

NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _days(part: str) -> list[str] | None:
    """The weekday names of one comma-separated part ('1-5', '0', '*/2', '2-6/2'); None when not numeric."""
    spec, _, step_text = part.partition("/")
    step = int(step_text) if step_text.isdigit() else 1
    if spec == "*":
        numbers = list(range(0, 7))
    elif spec.isdigit():
        numbers = [int(spec)] if not step_text else list(range(int(spec), 7))
    elif "-" in spec and all(side.isdigit() for side in spec.split("-", 1)):
        low, high = (int(side) for side in spec.split("-", 1))
        numbers = list(range(low, high + 1))
    else:
        return None
    if not step_text and spec == "*":
        return None
    if any(n > 7 for n in numbers):
        raise ValueError(f"weekday {max(numbers)} is out of range 0-7")
    return [NAMES[n] for n in numbers[::step]]


def crontab_weekdays(field: str) -> str:
    """A crontab day-of-week field with numbers turned into APScheduler's weekday names."""
    out: list[str] = []
    for part in field.split(","):
        days = _days(part)
        out.extend(days if days is not None else [part])
    return ",".join(dict.fromkeys(out))


def trigger(expr: str, jitter: int | None = None, label: str = "cron") -> CronTrigger:
    """A CronTrigger from a 5-field crontab line (minute hour day month day-of-week), in local time."""
    fields = expr.split()
    if len(fields) != 5:
        raise ConfigError(f"{label} must have 5 fields (minute hour day month day-of-week), not {expr!r}")
    minute, hour, day, month, dow = fields
    try:
        return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=crontab_weekdays(dow),
                           jitter=jitter)
    except ValueError as exc:
        raise ConfigError(f"{label} {expr!r}: {exc}") from exc
