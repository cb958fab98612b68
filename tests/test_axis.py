"""The time axis's layout (factline/axis.py): kinds of marks, lanes, clusters, zoom and ticks."""

import datetime
from dataclasses import dataclass

import pytest
from django.http import QueryDict

from factline import axis, dates


@dataclass
class Row:
    """What the axis reads of an entry."""

    pk: int
    start: datetime.date
    precision: str = dates.DAY
    end: datetime.date | None = None
    end_precision: str = ""
    approximate: bool = False
    disputed: bool = False
    is_published: bool = True
    headline: str = "Something happened"

    @property
    def date_display(self) -> str:
        return dates.display(self.start, self.precision, self.approximate)


def d(text: str) -> datetime.date:
    return dates.parse(text).date


def by_entry(laid_out: axis.Axis) -> dict[int, axis.Mark]:
    return {mark.entry_id: mark for mark in laid_out.marks}


def test_each_precision_has_its_kind_of_mark_as_wide_as_its_period():
    rows = [
        Row(1, d("2013-04-25")),
        Row(2, d("2013-06"), dates.MONTH),
        Row(3, d("2014"), dates.YEAR, approximate=True),
        Row(4, d("2013-07-01"), dates.DAY, end=d("2014-06"), end_precision=dates.MONTH),
    ]
    marks = by_entry(axis.build(rows))
    assert [marks[pk].kind for pk in (1, 2, 3, 4)] == ["point", "bar", "bar", "span"]
    assert marks[1].width == 0 and marks[1].x == pytest.approx(50 * 114 / 365)
    assert marks[2].x == pytest.approx(50 * 151 / 365) and marks[2].width == pytest.approx(50 * 30 / 365)
    assert (marks[3].x, marks[3].width) == (50, 50)  # 2014 is the second half of 2013–2014
    assert marks[4].x == pytest.approx(50 * 181 / 365) and marks[4].x + marks[4].width == pytest.approx(
        50 + 50 * 181 / 365
    )
    assert [marks[pk].fuzzy for pk in (1, 2, 3, 4)] == [False, False, True, False]
    assert marks[3].mask == "url(#axis-fade)" and marks[1].mask == ""


def test_a_disputed_or_draft_entry_says_so_in_its_mark_and_its_name():
    marks = by_entry(
        axis.build(
            [Row(1, d("2020"), dates.YEAR, disputed=True, headline="Coup"), Row(2, d("2021"), is_published=False)]
        )
    )
    assert marks[1].disputed and "is-disputed" in marks[1].classes
    assert marks[1].label == "2020: Coup (disputed)"
    assert marks[2].draft and marks[2].label.endswith("(draft)") and "is-draft" in marks[2].classes


def test_marks_that_would_overlap_take_separate_lanes_and_others_share_one():
    rows = [Row(1, d("2012"), dates.YEAR), Row(2, d("2012"), dates.YEAR), Row(3, d("2015"), dates.YEAR)]
    marks = by_entry(axis.build(rows))
    assert {marks[1].lane, marks[2].lane} == {0, 1}
    assert marks[3].lane == 0
    assert axis.build(rows).lanes == 2


def test_a_crowded_year_folds_into_a_cluster_with_its_count_that_zooms_to_it():
    rows = [Row(i, d(f"2023-06-{1 + i % 3:02d}")) for i in range(12)] + [Row(100, d("2020"), dates.YEAR)]
    rows[0].disputed = True
    laid_out = axis.build(rows)
    assert [(c.year, c.count, c.disputed) for c in laid_out.clusters] == [(2023, 12, 1)]
    assert [mark.entry_id for mark in laid_out.marks] == [100]
    assert laid_out.clusters[0].href == "?from=2023&to=2023#timeline-axis"
    assert laid_out.clusters[0].label == "2023: 12 entries, 1 disputed. Zoom in to see them one by one."
    assert laid_out.total == 13 and laid_out.lanes <= axis.MAX_LANES
    # Zoomed to that year, every entry has its own mark again.
    zoomed = axis.build(rows, QueryDict("from=2023&to=2023"))
    assert zoomed.clusters == [] and len(zoomed.marks) == 12 and zoomed.before == 1


def test_a_thousand_entries_fold_into_at_most_a_cluster_a_year():
    rows = [Row(i, datetime.date(2000 + i % 20, 1 + i % 12, 1 + i % 28)) for i in range(1000)]
    laid_out = axis.build(rows)
    assert laid_out.lanes <= axis.MAX_LANES
    assert len(laid_out.clusters) <= 20 and laid_out.total == 1000


def test_zoom_shows_the_years_asked_for_and_counts_the_entries_outside():
    rows = [
        Row(1, d("2012"), dates.YEAR),
        Row(2, d("2018-01-01"), dates.DAY, end=d("2021-06"), end_precision=dates.MONTH),
        Row(3, d("2020-05-05")),
        Row(4, d("2024"), dates.YEAR),
    ]
    laid_out = axis.build(rows, QueryDict("from=2019&to=2022"))
    assert (laid_out.start, laid_out.end, laid_out.before, laid_out.after) == (2019, 2022, 1, 1)
    span = by_entry(laid_out)[2]
    assert span.clipped_start and not span.clipped_end and span.x == 0
    assert [zoom.label for zoom in laid_out.zooms] == [
        "All years (2012–2024)",
        "← 2017–2020",
        "Zoom in",
        "Zoom out",
        "2021–2024 →",  # the same number of years, ending at the last
    ]
    assert laid_out.description.startswith("2 of 4 entries between 2019–2022")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=abc", "“abc” is not a year (write one like 2019), so the axis shows every year."),
        ("from=0&to=99999", "“0” and “99999” are not years (write one like 2019), so the axis shows every year."),
        ("from=1800&to=1900", "No entry falls in 1800–1900, so the axis shows every year."),
        ("from=" + "9" * 5000, "“999999999999” is not a year (write one like 2019), so the axis shows every year."),
    ],
)
def test_a_range_that_is_not_years_or_holds_nothing_shows_every_year_and_says_why(query, message):
    laid_out = axis.build([Row(1, d("2012"), dates.YEAR), Row(2, d("2024"), dates.YEAR)], QueryDict(query))
    assert (laid_out.start, laid_out.end, laid_out.message) == (2012, 2024, message)


def test_a_range_given_backwards_is_read_forwards_and_clamped_to_the_entries():
    laid_out = axis.build(
        [Row(1, d("2012"), dates.YEAR), Row(2, d("2024"), dates.YEAR)], QueryDict("from=2030&to=2020")
    )
    assert (laid_out.start, laid_out.end, laid_out.message) == (2020, 2024, "")


def test_zoom_links_keep_the_pages_other_parameters():
    laid_out = axis.build([Row(1, d("2012")), Row(2, d("2016"))], QueryDict("status=draft&tag=coup"))
    assert laid_out.ticks[0].href == "?status=draft&tag=coup&from=2012&to=2012#timeline-axis"
    zoomed = axis.build([Row(1, d("2012")), Row(2, d("2016"))], QueryDict("status=draft&from=2013&to=2014"))
    assert zoomed.zooms[0].href == "?status=draft#timeline-axis"


def test_ticks_label_every_year_a_few_years_apart_and_months_in_a_single_year():
    years = axis.build([Row(1, d("2012")), Row(2, d("2024"))])
    assert [tick.label for tick in years.ticks] == [str(year) for year in range(2012, 2025)]
    assert [tick.minor for tick in years.ticks[:3]] == [False, True, False]  # narrow screens leave out 2013
    century = axis.build([Row(1, d("1903")), Row(2, d("2024"))])
    labels = [tick.label for tick in century.ticks if tick.label]
    assert labels[:2] == ["1910", "1920"] and len(labels) <= 14
    months = axis.build([Row(1, d("2023-01-05")), Row(2, d("2023-11-05"))])
    assert [tick.label for tick in months.ticks][:3] == ["Jan", "Feb", "Mar"] and len(months.ticks) == 12


def test_positions_are_written_as_percentages_never_localised():
    assert axis.pct(12.5) == "12.5%" and axis.pct(100 / 3) == "33.333%" and axis.pct(0) == "0%"


def test_no_entries_no_axis():
    assert axis.build([]) is None
