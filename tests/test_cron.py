"""Crontab weekdays: 0 and 7 are Sunday, 1-5 Monday to Friday (APScheduler itself counts from Monday = 0)."""

from __future__ import annotations

from datetime import datetime

import pytest

from monitor.cron import crontab_weekdays, trigger
from monitor.errors import ConfigError


@pytest.mark.parametrize("field,names", [
    ("1-5", "mon,tue,wed,thu,fri"), ("0", "sun"), ("7", "sun"), ("0,6", "sun,sat"),
    ("*/2", "sun,tue,thu,sat"), ("*", "*"), ("mon-fri", "mon-fri"), ("2-6/2", "tue,thu,sat"),
])
def test_weekday_numbers_follow_crontab(field: str, names: str) -> None:
    assert crontab_weekdays(field) == names


def test_weekdays_fire_monday_to_friday() -> None:
    rule = trigger("0 9 * * 1-5")
    moment = datetime(2026, 11, 22, 10, 0).astimezone()  # a Sunday
    fired = []
    for _ in range(6):
        moment = rule.get_next_fire_time(None, moment)
        fired.append(moment.strftime("%a"))
        moment = moment.replace(hour=10)
    assert fired == ["Mon", "Tue", "Wed", "Thu", "Fri", "Mon"]


@pytest.mark.parametrize("line", ["every day", "0 9 * *", "0 9 * * 8", "61 * * * *"])
def test_bad_lines_are_config_errors(line: str) -> None:
    with pytest.raises(ConfigError):
        trigger(line)
