"""Partial dates: a date plus how much of it is known (year, month or day).

A partial date is stored as the first day of its period, so entries sort by
start whatever their precision, and is written back only as far as it is known.
Entries that start on the same day sort coarser first ("2013", "January 2013", "1 January 2013":
the period that holds the others comes before them); `sort_key` and `entry_order` are that one order,
for lists sorted in Python and in the database.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Value, When

YEAR = "year"
MONTH = "month"
DAY = "day"
PRECISIONS = (YEAR, MONTH, DAY)
PRECISION_CHOICES = [(YEAR, "Year"), (MONTH, "Month"), (DAY, "Day")]
# Coarser first among dates stored on the same day.
PRECISION_RANK = {YEAR: 0, MONTH: 1, DAY: 2}


def sort_key(start: datetime.date, precision: str, pk: int | None) -> tuple[datetime.date, int, int]:
    """Where an entry stands in every list of entries: by start, coarser first, then as it was added."""
    return start, PRECISION_RANK.get(precision, len(PRECISION_RANK)), pk or 0


def entry_order(prefix: str = "") -> list[Any]:
    """`sort_key` for `order_by()` (fields under `prefix`, e.g. "entry__"): the database sorts as Python does."""
    rank = Case(
        *(When(**{f"{prefix}precision": precision}, then=Value(n)) for precision, n in PRECISION_RANK.items()),
        default=Value(len(PRECISION_RANK)),
        output_field=IntegerField(),
    )
    return [f"{prefix}start", rank.asc(), f"{prefix}id"]


_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

_APPROXIMATE = re.compile(r"^(?:c\.|ca\.|circa|about|approx\.?|~)\s*", re.IGNORECASE)
_ISO = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?$")
_DAY_MONTH_YEAR = re.compile(r"^(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[a-z]+)\.?,?\s+(?P<year>\d{4})$", re.I)
_MONTH_DAY_YEAR = re.compile(r"^(?P<month>[a-z]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})$", re.I)
_MONTH_YEAR = re.compile(r"^(?P<month>[a-z]+)\.?,?\s+(?P<year>\d{4})$", re.I)


class PartialDateError(ValueError):
    """Raised for text that is not a date we can read, or a date that does not exist."""


class UnreadableDate(PartialDateError):
    """Text in none of the forms `parse` reads (another language's, perhaps), not a date that does not exist."""


@dataclass(frozen=True)
class PartialDate:
    date: datetime.date
    precision: str = DAY
    approximate: bool = False

    def iso(self) -> str:
        return to_iso(self.date, self.precision)

    def display(self) -> str:
        return display(self.date, self.precision, self.approximate)

    def last_day(self) -> datetime.date:
        """The last day of the period this date names (for comparing spans)."""
        return last_day(self.date, self.precision)


def _month_number(name: str) -> int:
    try:
        return _MONTHS[name.lower().rstrip(".")]
    except KeyError:
        raise UnreadableDate(f"“{name}” is not a month name.") from None


def _build(year: str, month: str | int | None, day: str | None, approximate: bool) -> PartialDate:
    y = int(year)
    if y < 1:
        raise PartialDateError("The year must be 1 or later.")
    if month is None:
        return PartialDate(datetime.date(y, 1, 1), YEAR, approximate)
    m = int(month)
    if not 1 <= m <= 12:
        raise PartialDateError(f"There is no month {m}.")
    if day is None:
        return PartialDate(datetime.date(y, m, 1), MONTH, approximate)
    d = int(day)
    try:
        return PartialDate(datetime.date(y, m, d), DAY, approximate)
    except ValueError:
        raise PartialDateError(f"{calendar.month_name[m]} {y} has no day {d}.") from None


def parse(text: str) -> PartialDate:
    """Read a date as people write it: "2013", "2013-07", "July 2013", "1 July 2013", "c. 2012"."""
    value = " ".join(text.split())
    approximate = False
    match = _APPROXIMATE.match(value)
    if match:
        approximate = True
        value = value[match.end() :]
    if not value:
        raise PartialDateError("Enter a date, such as 2013, July 2013 or 1 July 2013.")
    if m := _ISO.match(value):
        return _build(m["year"], m["month"], m["day"], approximate)
    if m := _DAY_MONTH_YEAR.match(value):
        return _build(m["year"], _month_number(m["month"]), m["day"], approximate)
    if m := _MONTH_DAY_YEAR.match(value):
        return _build(m["year"], _month_number(m["month"]), m["day"], approximate)
    if m := _MONTH_YEAR.match(value):
        return _build(m["year"], _month_number(m["month"]), None, approximate)
    raise UnreadableDate(
        f"“{text.strip()}” is not a date we can read. Write it like 2013, July 2013, 1 July 2013 or c. 2012."
    )


_YEAR_DIGITS = re.compile(r"\d{4}")  # any script's digits: "٢٠١٣" is a year too
_PERIODS = {"year": YEAR, "month": MONTH, "day": DAY}


def parse_any_language(text: str) -> PartialDate:
    """`parse`, then the languages dateparser reads ("1 juillet 2013", "juillet 2013"), with parse's error if neither.

    Only dates with a year are taken: "yesterday" or "vendredi" would need a day to count from. A date in a
    form `parse` reads that does not exist ("2023-13", "31 February 2023") keeps its error.
    """
    try:
        return parse(text)
    except UnreadableDate as error:
        value = " ".join(text.split())
        approximate = bool(match := _APPROXIMATE.match(value))
        value = value[match.end() :] if match else value
        if not _YEAR_DIGITS.search(value):
            raise
        import dateparser  # loaded only when needed: its language data is large

        data = dateparser.date.DateDataParser(settings={"PREFER_DAY_OF_MONTH": "first"}).get_date_data(value)
        if data.date_obj is None or data.period not in _PERIODS:
            raise error from None
        precision = _PERIODS[data.period]
        return PartialDate(truncate(data.date_obj.date(), precision), precision, approximate)


def to_iso(date: datetime.date, precision: str) -> str:
    if precision == YEAR:
        return f"{date.year:04d}"
    if precision == MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def display(date: datetime.date, precision: str, approximate: bool = False) -> str:
    if precision == YEAR:
        text = str(date.year)
    elif precision == MONTH:
        text = f"{calendar.month_name[date.month]} {date.year}"
    else:
        text = f"{date.day} {calendar.month_name[date.month]} {date.year}"
    return f"c. {text}" if approximate else text


def last_day(date: datetime.date, precision: str) -> datetime.date:
    if precision == YEAR:
        return datetime.date(date.year, 12, 31)
    if precision == MONTH:
        return datetime.date(date.year, date.month, calendar.monthrange(date.year, date.month)[1])
    return date


def truncate(date: datetime.date, precision: str) -> datetime.date:
    """The first day of the period: what a partial date is stored as."""
    if precision == YEAR:
        return date.replace(month=1, day=1)
    if precision == MONTH:
        return date.replace(day=1)
    return date
