import datetime

import pytest

from factline import dates


@pytest.mark.parametrize(
    ("text", "date", "precision", "approximate"),
    [
        ("2013", datetime.date(2013, 1, 1), "year", False),
        ("2013-07", datetime.date(2013, 7, 1), "month", False),
        ("2013-07-01", datetime.date(2013, 7, 1), "day", False),
        ("July 2013", datetime.date(2013, 7, 1), "month", False),
        ("Jul 2013", datetime.date(2013, 7, 1), "month", False),
        ("1 July 2013", datetime.date(2013, 7, 1), "day", False),
        ("July 1, 2013", datetime.date(2013, 7, 1), "day", False),
        ("c. 2012", datetime.date(2012, 1, 1), "year", True),
        ("  circa  June 2023 ", datetime.date(2023, 6, 1), "month", True),
    ],
)
def test_it_reads_dates_as_people_write_them(text, date, precision, approximate):
    parsed = dates.parse(text)
    assert (parsed.date, parsed.precision, parsed.approximate) == (date, precision, approximate)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31 February 2013", "February 2013 has no day 31"),
        ("2013-13", "There is no month 13"),
        ("Smarch 2013", "not a month name"),
        ("last Tuesday", "is not a date we can read"),
        ("", "Enter a date"),
    ],
)
def test_it_refuses_impossible_or_unreadable_dates(text, message):
    with pytest.raises(dates.PartialDateError, match=message):
        dates.parse(text)


@pytest.mark.parametrize(
    ("text", "iso", "shown"),
    [
        ("2013", "2013", "2013"),
        ("2013-07", "2013-07", "July 2013"),
        ("2013-07-01", "2013-07-01", "1 July 2013"),
        ("c. 2012", "2012", "c. 2012"),
    ],
)
def test_it_writes_dates_at_their_precision(text, iso, shown):
    parsed = dates.parse(text)
    assert parsed.iso() == iso
    assert parsed.display() == shown


def test_a_period_ends_on_its_last_day():
    assert dates.parse("2013").last_day() == datetime.date(2013, 12, 31)
    assert dates.parse("February 2024").last_day() == datetime.date(2024, 2, 29)
