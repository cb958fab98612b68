"""The time axis: where each entry of a list sits on a line of years, worked out in pure Python.

The page's own entries go in (no query of its own), typed marks come out, positioned in percent of
the plot's width so the SVG that draws them (templates/components/time_axis.html) stretches to any
screen without scaling its text. A day is a point, a month or a year a bar its width, a span a bar
from start to end, an approximate date a bar (or point) with faded ends; marks never overlap: each
takes the first free lane, and a year with more marks than the lanes hold folds into one cluster
with a count that zooms to that year.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.http import QueryDict

from factline import dates

POINT, BAR, SPAN = "point", "bar", "span"
# Lanes of marks before a year folds into a cluster; a one-year view draws every lane it needs.
MAX_LANES = 7
# Room a mark takes on its lane, in percent of the plot: a point is drawn a few pixels wide whatever
# the screen, so it needs room around it; bars keep a gap so neighbours stay apart.
POINT_ROOM = 2.2
GAP = 0.5
MIN_BAR = 0.6  # a two-day span is still a visible bar
LANE = 18  # pixels per lane
TOP = 10  # pixels above the first lane
LABELS = 24  # pixels under the line for the years
EARLIEST, LATEST = 1, 9999  # years a zoom may name
MONTHS = [calendar.month_abbr[m] for m in range(1, 13)]


class Dated(Protocol):
    """What the axis reads of an entry (an Entry, with its citations loaded for `disputed`)."""

    @property
    def pk(self) -> Any: ...
    @property
    def start(self) -> datetime.date: ...
    @property
    def end(self) -> datetime.date | None: ...
    @property
    def precision(self) -> str: ...
    @property
    def end_precision(self) -> str: ...
    @property
    def approximate(self) -> bool: ...
    @property
    def disputed(self) -> bool: ...
    @property
    def is_published(self) -> bool: ...
    @property
    def date_display(self) -> str: ...
    @property
    def headline(self) -> str: ...


@dataclass(frozen=True)
class Mark:
    """One entry on the axis."""

    entry_id: int
    kind: str  # POINT, BAR or SPAN
    x: float  # percent of the plot
    width: float  # percent of the plot; 0 for a point
    lane: int
    fuzzy: bool  # an approximate date: faded ends
    disputed: bool
    draft: bool
    label: str  # the mark's accessible name: its date and headline
    clipped_start: bool = False  # the span begins before the range shown
    clipped_end: bool = False

    @property
    def href(self) -> str:
        return f"#entry-{self.entry_id}"

    @property
    def center(self) -> float:
        return self.x + self.width / 2

    @property
    def y(self) -> int:
        return TOP + self.lane * LANE

    @property
    def cy(self) -> int:
        return self.y + LANE // 2 - 2

    @property
    def bar_y(self) -> int:
        return self.y + 3

    @property
    def classes(self) -> str:
        names = ["axis-mark", f"is-{self.kind}"]
        names += [name for name, on in (("is-fuzzy", self.fuzzy), ("is-disputed", self.disputed)) if on]
        names += ["is-draft"] if self.draft else []
        return " ".join(names)

    @property
    def mask(self) -> str:
        """Faded ends for an approximate date (a faded edge all round for a point)."""
        if not self.fuzzy:
            return ""
        return "url(#axis-fade-dot)" if self.kind == POINT else "url(#axis-fade)"

    @property
    def left(self) -> str:
        return pct(self.x)

    @property
    def middle(self) -> str:
        return pct(self.center)

    @property
    def size(self) -> str:
        return pct(self.width)


@dataclass(frozen=True)
class Cluster:
    """The entries of a dense year, folded into one mark with their count; it zooms to the year."""

    year: int
    count: int
    x: float
    width: float
    lane: int
    href: str
    disputed: int

    @property
    def label(self) -> str:
        disputed = f", {self.disputed} disputed" if self.disputed else ""
        return f"{self.year}: {self.count} entries{disputed}. Zoom in to see them one by one."

    @property
    def y(self) -> int:
        return TOP + self.lane * LANE + 1

    @property
    def left(self) -> str:
        return pct(self.x)

    @property
    def size(self) -> str:
        return pct(self.width)

    @property
    def middle(self) -> str:
        return pct(self.x + self.width / 2)


@dataclass(frozen=True)
class Tick:
    """A line across the axis at the start of a period, and its label in the middle of the period."""

    x: float
    label: str
    label_x: float
    href: str = ""  # a year's label zooms to that year
    minor: bool = False  # a label narrow screens leave out

    @property
    def left(self) -> str:
        return pct(self.x)

    @property
    def middle(self) -> str:
        return pct(self.label_x)


@dataclass(frozen=True)
class Zoom:
    """A link that shows another range of years."""

    label: str
    href: str
    name: str  # what a screen reader says


@dataclass
class Axis:
    """Everything the template draws, for the years `start` to `end` (both included)."""

    start: int
    end: int
    first: int  # the years the entries cover, all zoomed out
    last: int
    marks: list[Mark] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    lanes: int = 1
    before: int = 0  # entries outside the range, on either side
    after: int = 0
    zooms: list[Zoom] = field(default_factory=list)
    message: str = ""  # why a requested range was not shown

    @property
    def total(self) -> int:
        return len(self.marks) + sum(cluster.count for cluster in self.clusters) + self.before + self.after

    @property
    def zoomed(self) -> bool:
        return (self.start, self.end) != (self.first, self.last)

    @property
    def years(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}–{self.end}"

    @property
    def line_y(self) -> int:
        return TOP + self.lanes * LANE + 4

    @property
    def label_y(self) -> int:
        return self.line_y + 17

    @property
    def height(self) -> int:
        return self.line_y + LABELS

    @property
    def shown(self) -> int:
        return self.total - self.before - self.after

    @property
    def description(self) -> str:
        """What the picture shows, in words, for the SVG's <desc>."""
        if self.zoomed:
            parts = [f"{self.shown} of {self.total} entries between {self.years}"]
        else:
            parts = [f"{self.total} entr{'y' if self.total == 1 else 'ies'} from {self.years}"]
        points = sum(mark.kind == POINT for mark in self.marks)
        bars = sum(mark.kind == BAR for mark in self.marks)
        spans = sum(mark.kind == SPAN for mark in self.marks)
        parts.append(f"{points} on a day, {bars} in a month or year, {spans} spanning a period")
        fuzzy = sum(mark.fuzzy for mark in self.marks)
        disputed = sum(mark.disputed for mark in self.marks) + sum(cluster.disputed for cluster in self.clusters)
        if fuzzy:
            parts.append(f"{fuzzy} approximately dated")
        if disputed:
            parts.append(f"{disputed} disputed by the sources")
        if self.clusters:
            parts.append("dense years folded: " + ", ".join(f"{c.year} ({c.count})" for c in self.clusters))
        return "; ".join(parts) + ". The list below gives every entry in full."


def pct(value: float) -> str:
    """A position or width for an SVG attribute, in percent of the plot (never localised)."""
    return f"{value:.3f}".rstrip("0").rstrip(".") + "%"


def _fraction(day: datetime.date) -> float:
    """`day` as a year and the part of it gone by at its start: 1 July 2013 is about 2013.496."""
    days = 366 if calendar.isleap(day.year) else 365
    return day.year + (day.timetuple().tm_yday - 1) / days


def _after(day: datetime.date) -> float:
    """The moment `day` ends, as a fraction of years."""
    return _fraction(day + datetime.timedelta(days=1)) if day < datetime.date.max else float(LATEST + 1)


def _extent(entry: Dated) -> tuple[float, float]:
    """When `entry` starts and ends, in fractional years; a day's entry has no length."""
    start = _fraction(entry.start)
    if entry.end:
        return start, _after(dates.last_day(entry.end, entry.end_precision or entry.precision))
    if entry.precision == dates.DAY:
        return start, start
    return start, _after(dates.last_day(entry.start, entry.precision))


def _kind(entry: Dated) -> str:
    if entry.end:
        return SPAN
    return POINT if entry.precision == dates.DAY else BAR


def _last_year(entry: Dated) -> int:
    return (entry.end or entry.start).year


def parse_zoom(query: Mapping[str, str]) -> tuple[int | None, int | None, str]:
    """The years `?from=` and `?to=` ask for, and a message when a value is not a year (then ignored)."""
    years: list[int | None] = []
    wrong = []
    for name in ("from", "to"):
        value = query.get(name, "").strip()
        if not value:
            years.append(None)
        elif value.isdecimal() and len(value) <= 4 and EARLIEST <= int(value) <= LATEST:
            years.append(int(value))
        else:
            years.append(None)
            wrong.append(f"“{value[:12]}”")
    message = ""
    if wrong:
        message = f"{' and '.join(wrong)} {'is not a year' if len(wrong) == 1 else 'are not years'}"
        message += " (write one like 2019), so the axis shows every year."
    start, end = years
    if start is not None and end is not None and start > end:
        start, end = end, start
    return start, end, message


def zoom_key(query: Mapping[str, str]) -> str:
    """What in the address changes the axis, for a page's ETag."""
    return f"{query.get('from', '')[:12]}-{query.get('to', '')[:12]}"


def _link(query: QueryDict | None, start: int, end: int) -> str:
    params = query.copy() if query is not None else QueryDict(mutable=True)
    params["from"], params["to"] = str(start), str(end)
    return f"?{params.urlencode()}#timeline-axis"


def _all_link(query: QueryDict | None) -> str:
    params = query.copy() if query is not None else QueryDict(mutable=True)
    params.pop("from", None)
    params.pop("to", None)
    return (f"?{params.urlencode()}" if params else "?") + "#timeline-axis"


def _ticks(start: int, end: int, query: QueryDict | None) -> list[Tick]:
    years = end - start + 1
    width = 100 / years
    if years == 1:  # one year: its months
        return [
            Tick(x=m * 100 / 12, label=MONTHS[m], label_x=(m + 0.5) * 100 / 12, minor=m % 2 == 1) for m in range(12)
        ]
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000) if years / s <= 14)
    ticks: list[Tick] = []
    labels = 0
    for index, year in enumerate(range(start, end + 1)):
        if year % step and year != start:
            continue
        labelled = year % step == 0 or step == 1
        ticks.append(
            Tick(
                x=index * width,
                label=str(year) if labelled else "",
                label_x=(index + 0.5) * width if step == 1 else index * width,
                href=_link(query, year, year) if step == 1 else "",
                minor=labelled and labels % 2 == 1,  # every other label, from the first
            )
        )
        labels += labelled
    return ticks


def _span(start: int, end: int, joiner: str = "–") -> str:
    return str(start) if start == end else f"{start}{joiner}{end}"


def _zooms(axis: Axis, query: QueryDict | None) -> list[Zoom]:
    """Links to other ranges: all years, earlier, later, a closer look at the middle, a wider one."""
    start, end, first, last = axis.start, axis.end, axis.first, axis.last
    size = end - start + 1
    step = max(size // 2, 1)
    zooms = []
    if axis.zoomed:
        zooms.append(Zoom(f"All years ({_span(first, last)})", _all_link(query), f"Show all years, {first} to {last}"))
    if start > first:
        s = max(first, start - step)
        e = s + size - 1
        zooms.append(Zoom(f"← {_span(s, e)}", _link(query, s, e), f"Earlier: {_span(s, e, ' to ')}"))
    if size > 1:
        s = start + (size - step) // 2
        e = s + step - 1
        zooms.append(Zoom("Zoom in", _link(query, s, e), f"Zoom in to {_span(s, e, ' to ')}"))
    if axis.zoomed:
        s, e = max(first, start - step), min(last, end + step)
        zooms.append(Zoom("Zoom out", _link(query, s, e), f"Zoom out to {_span(s, e, ' to ')}"))
    if end < last:
        e = min(last, end + step)
        s = e - size + 1
        zooms.append(Zoom(f"{_span(s, e)} →", _link(query, s, e), f"Later: {_span(s, e, ' to ')}"))
    return zooms


def _pack(items: Sequence[tuple[float, float, object]]) -> tuple[list[int], int]:
    """Put each (start, end, item), in order of start, on the first lane free at its start."""
    ends: list[float] = []
    lanes = []
    for start, end, _item in items:
        for lane, free_from in enumerate(ends):
            if free_from <= start:
                ends[lane] = end + GAP
                lanes.append(lane)
                break
        else:
            ends.append(end + GAP)
            lanes.append(len(ends) - 1)
    return lanes, len(ends)


@dataclass
class _Placed:
    """An entry's mark before it has a lane, with the room it takes on one."""

    entry: Dated
    kind: str
    x: float
    width: float
    clipped_start: bool
    clipped_end: bool

    @property
    def room(self) -> tuple[float, float]:
        if self.kind == POINT:
            return self.x - POINT_ROOM / 2, self.x + POINT_ROOM / 2
        return self.x, self.x + max(self.width, POINT_ROOM / 2)


def build(entries: Iterable[Dated], query: QueryDict | None = None) -> Axis | None:
    """The axis of `entries` (with their citations loaded), zoomed as `query` asks; None for no entries."""
    entries = list(entries)
    if not entries:
        return None
    first = min(entry.start.year for entry in entries)
    last = max(_last_year(entry) for entry in entries)
    want_start, want_end, message = parse_zoom(query or {})
    start = max(first, want_start) if want_start is not None else first
    end = min(last, want_end) if want_end is not None else last
    if start > end:
        message = f"No entry falls in {want_start or first}–{want_end or last}, so the axis shows every year."
        start, end = first, last
    axis = Axis(start=start, end=end, first=first, last=last, message=message)
    scale = 100 / (end - start + 1)

    placed = []
    for entry in sorted(entries, key=lambda e: dates.sort_key(e.start, e.precision, e.pk)):
        begins, ends = _extent(entry)
        if begins >= end + 1:
            axis.after += 1
            continue
        if ends < start or (ends == start and begins < start):
            axis.before += 1
            continue
        kind = _kind(entry)
        x = (max(begins, start) - start) * scale
        right = (min(ends, end + 1) - start) * scale
        width = 0.0 if kind == POINT else max(right - x, MIN_BAR)
        placed.append(_Placed(entry, kind, x, width, begins < start, ends > end + 1))

    # Pack the marks on lanes; while they need too many, fold the most crowded year into a cluster.
    folded: set[int] = set()
    while True:
        items: list[tuple[float, float, _Placed | int]] = [
            (*p.room, p) for p in placed if p.entry.start.year not in folded
        ]
        items += [((year - start) * scale, (year - start + 1) * scale - GAP, year) for year in folded]
        items.sort(key=lambda item: item[0])
        lanes, count = _pack(items)
        crowded: dict[int, int] = {}
        for (_x, _right, item), lane in zip(items, lanes, strict=True):
            if lane >= MAX_LANES and isinstance(item, _Placed):
                crowded[item.entry.start.year] = crowded.get(item.entry.start.year, 0) + 1
        if count <= MAX_LANES or start == end or not crowded:
            break
        folded.add(max(crowded, key=lambda year: (crowded[year], -year)))

    axis.lanes = max(count, 1)
    for (_x, _right, item), lane in zip(items, lanes, strict=True):
        if isinstance(item, int):
            members = [p.entry for p in placed if p.entry.start.year == item]
            axis.clusters.append(
                Cluster(
                    year=item,
                    count=len(members),
                    x=(item - start) * scale + GAP / 2,
                    width=scale - GAP,
                    lane=lane,
                    href=_link(query, item, item),
                    disputed=sum(entry.disputed for entry in members),
                )
            )
            continue
        entry = item.entry
        axis.marks.append(
            Mark(
                entry_id=entry.pk,
                kind=item.kind,
                x=item.x,
                width=item.width,
                lane=lane,
                fuzzy=entry.approximate,
                disputed=entry.disputed,
                draft=not entry.is_published,
                label=_label(entry),
                clipped_start=item.clipped_start,
                clipped_end=item.clipped_end,
            )
        )
    axis.ticks = _ticks(start, end, query)
    axis.zooms = _zooms(axis, query)
    return axis


def _label(entry: Dated) -> str:
    notes = [note for note, on in (("disputed", entry.disputed), ("draft", not entry.is_published)) if on]
    return f"{entry.date_display}: {entry.headline}" + (f" ({', '.join(notes)})" if notes else "")
