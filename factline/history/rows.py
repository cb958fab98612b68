"""History rows grouped into changes: what one person saved together (see the package docstring)."""

from __future__ import annotations

import bisect
import datetime
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from factline.models.changes import Action

Historical = Any  # simple-history builds its historical models at runtime
ENTRY, CITATION, TIMELINE, MEMBER, SNAPSHOT = "entry", "citation", "timeline", "member", "snapshot"
GROUP_WINDOW = datetime.timedelta(seconds=2)
# Changes whose note says what their words cannot: which revision a revert went back to, where an
# import or a loader took the text from. Other notes ("Published", "Cited … ¶4 (Context)") repeat the words.
NOTE_ADDS = {Action.REVERTED, Action.IMPORTED, Action.LOADED}


def shown_note(action: str, note: str) -> str:
    """The software's `note` on a change of kind `action`, where it adds to the change's words; else ""."""
    return note if action in NOTE_ADDS else ""


def note_and_summary(row: Historical) -> tuple[str, str]:
    """What the software said of a historical row worth showing, and what a person wrote (quoted when shown)."""
    return shown_note(row.history_action, row.history_note), row.history_change_reason or ""


@dataclass(frozen=True)
class Row:
    """One historical row, without its data: enough to group and order it."""

    kind: str
    history_id: int
    object_id: int
    at: datetime.datetime
    user_id: int | None
    type: str
    change: uuid.UUID | None = None  # the service call that wrote it (ChangeMark); None for older rows
    # For lists of every revision: what a person wrote, who, and what the software said (ChangeMark).
    reason: str | None = None
    username: str | None = None
    action: str = ""
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind[0]}{self.history_id}"


@dataclass
class Change:
    """Rows one person wrote together, oldest first; `words`, `user`, `note` and `summary` are filled by `tell`."""

    number: int
    rows: list[Row]
    words: list[str] = field(default_factory=list)
    note: str = ""  # what the software said of this change, where it adds to the change's words
    summary: str = ""  # the edit summary a person wrote, if any
    user: Any = None
    headline: str = ""
    entry_id: int | None = None

    @property
    def entry_row(self) -> Row | None:
        return next((row for row in self.rows if row.kind == ENTRY), None)

    @property
    def key(self) -> str:
        return (self.entry_row or self.rows[0]).key

    @property
    def removes_entry(self) -> bool:
        return self.entry_row is not None and self.entry_row.type == "-"

    @property
    def at(self) -> datetime.datetime:
        return self.rows[-1].at

    @property
    def user_id(self) -> int | None:
        return next((row.user_id for row in self.rows if row.user_id is not None), None)

    @property
    def username(self) -> str:
        """Who made the change, from the light rows: no query."""
        return next((row.username for row in self.rows if row.username), "system")

    @property
    def choice_label(self) -> str:
        """The change as a choice in a select: its number, when, who, and why, from the light rows (no query)."""
        at = timezone.localtime(self.at)
        parts = [f"{self.number}", f"{at.day} {at:%b %Y, %H:%M}", self.username]
        rows = sorted(self.rows, key=lambda row: row.kind != ENTRY)  # the entry's first, as `tell` reads them
        summary = next((row.reason for row in rows if row.reason), "")
        note = next((shown_note(row.action, row.note) for row in rows if shown_note(row.action, row.note)), "")
        # With no words beside it, a choice names even a note that only repeats them, but never quotes it.
        note = note or ("" if summary else next((row.note for row in rows if row.note), ""))
        parts += [_cut(note)] if note else []
        parts += [f"“{_cut(summary)}”"] if summary else []
        return " · ".join(parts)

    @property
    def moment(self) -> str:
        """This change's moment as the time-travel field takes it: just after its last row."""
        return moment_param(self.at)


def _cut(text: str, most: int = 48) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def moment_param(when: datetime.datetime) -> str:
    """`when` in UTC rounded up to the millisecond, as typed in the as-of field (no time zone)."""
    when = timezone.localtime(when, datetime.UTC)
    extra = math.ceil(when.microsecond / 1000) * 1000 - when.microsecond
    when = (when + datetime.timedelta(microseconds=extra)).replace(tzinfo=None)
    return when.isoformat(sep=" ", timespec="milliseconds")


def _order(row: Row) -> tuple:
    return (row.at, row.kind != ENTRY, row.history_id)


def same_person(a: int | None, b: int | None) -> bool:
    # Rows written outside a request by a cascade (an entry's citations deleted with it) carry no
    # person; they belong with the change they were written in.
    return a == b or a is None or b is None


def group(rows: Iterable[Row]) -> list[Change]:
    """Group rows (of one entry) into changes, oldest first.

    Rows marked with a change are grouped by it exactly. Rows without one (written outside the
    services, or before rows were marked) fall back to nearness in time: see the package docstring.
    """
    ordered = sorted(rows, key=_order)
    anchors = [i for i, row in enumerate(ordered) if row.kind == ENTRY and row.change is None]
    changes: list[Change] = []
    by_anchor: dict[int, Change] = {}
    by_mark: dict[uuid.UUID, Change] = {}
    for i, row in enumerate(ordered):
        if row.change is not None:
            change = by_mark.get(row.change)
            # One change holds one entry row; a service that saved the entry twice reads as two.
            if change is None or (row.kind == ENTRY and change.entry_row is not None):
                change = by_mark[row.change] = Change(len(changes) + 1, [])
                changes.append(change)
            change.rows.append(row)
            continue
        anchor = i if row.kind == ENTRY else _nearest_anchor(ordered, anchors, i)
        if anchor is not None:
            if anchor not in by_anchor:
                by_anchor[anchor] = Change(len(changes) + 1, [])
                changes.append(by_anchor[anchor])
            by_anchor[anchor].rows.append(row)
            continue
        last = changes[-1] if changes else None
        if (
            last is not None
            and last.entry_row is None
            and last.rows[-1].change is None
            and same_person(row.user_id, last.user_id)
            and row.at - last.rows[-1].at <= GROUP_WINDOW
        ):
            last.rows.append(row)  # citations saved together without their entry
        else:
            changes.append(Change(len(changes) + 1, [row]))
    return changes


def _nearest_anchor(ordered: list[Row], anchors: list[int], i: int) -> int | None:
    """The entry row a citation row was written with: the nearer of the entry rows around it, if close enough."""
    after = bisect.bisect(anchors, i)
    around = [anchors[k] for k in (after - 1, after) if 0 <= k < len(anchors)]
    row = ordered[i]
    close = [
        (abs(row.at - ordered[a].at), a)
        for a in around
        if abs(row.at - ordered[a].at) <= GROUP_WINDOW and same_person(row.user_id, ordered[a].user_id)
    ]
    return min(close)[1] if close else None


@dataclass
class State:
    """An entry as it stood after a change: its row (None when deleted) and its citations' rows."""

    change: Change | None
    entry: Historical | None
    citations: list[Historical]
