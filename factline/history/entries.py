"""One entry's history: its rows and its citations' rows, grouped into changes, and its states."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from factline.history.rows import CITATION, ENTRY, Change, Historical, Row, State, group
from factline.history.words import tell
from factline.models import Citation, Entry

LIGHT = ("history_id", "id", "history_date", "history_user_id", "history_type", "history_change")


def _light(queryset: QuerySet, kind: str) -> list[Row]:
    # Who and why come in the same query, so that a list of every revision can say them.
    text = (
        "history_change_reason",
        f"history_user__{get_user_model().USERNAME_FIELD}",
        "history_action",
        "history_note",
    )
    return [Row(kind, *values) for values in queryset.order_by().values_list(*LIGHT, *text)]


class EntryHistory:
    """Every change of one entry, oldest first, from two light queries (ids, dates, people and reasons only)."""

    def __init__(self, entry_id: int, timeline_id: int) -> None:
        self.entry_id = entry_id
        self.headline = ""  # the latest, once `describe` has run
        entry_rows = _light(Entry.history.filter(id=entry_id, timeline_id=timeline_id), ENTRY)
        citation_rows = _light(Citation.history.filter(entry_id=entry_id), CITATION) if entry_rows else []
        self.changes = group(entry_rows + citation_rows)
        self._by_key = {row.key: change for change in self.changes for row in change.rows}
        # The row each row follows for the same object, to say what it changed.
        self.previous: dict[str, Row] = {}
        last: dict[tuple[str, int], Row] = {}
        for change in self.changes:
            for row in change.rows:
                if (row.kind, row.object_id) in last:
                    self.previous[row.key] = last[row.kind, row.object_id]
                last[row.kind, row.object_id] = row

    def __bool__(self) -> bool:
        return bool(self.changes)

    @property
    def latest(self) -> Change:
        return self.changes[-1]

    def find(self, key: str | None) -> Change | None:
        return self._by_key.get(key or "")

    def before(self, change: Change) -> Change | None:
        return self.changes[change.number - 2] if change.number > 1 else None

    @property
    def deleted(self) -> bool:
        entry_rows = [row for change in self.changes for row in change.rows if row.kind == ENTRY]
        return bool(entry_rows) and entry_rows[-1].type == "-"

    def state_rows(self, change: Change) -> tuple[Row | None, list[Row]]:
        """The entry's row and its citations' rows in force just after `change`."""
        entry: Row | None = None
        citations: dict[int, Row] = {}
        for earlier in self.changes[: change.number]:
            for row in earlier.rows:
                if row.kind == ENTRY:
                    entry = None if row.type == "-" else row
                elif row.type == "-":
                    citations.pop(row.object_id, None)
                else:
                    citations[row.object_id] = row
        return entry, sorted(citations.values(), key=lambda row: row.object_id)

    def states(self, changes: list[Change | None], *, describe: Iterable[Change] = ()) -> list[State]:
        """The entry as it stood after each change (None: before it existed); tells `describe` too. Two queries."""
        told = list(describe)
        rows = {id(c): self.state_rows(c) if c else (None, []) for c in changes}
        wanted = [row for entry, cited in rows.values() for row in ([entry] if entry else []) + cited]
        wanted += [row for change in told for row in change.rows]
        wanted += [self.previous[row.key] for row in wanted if row.key in self.previous]
        latest_entry = next(
            (row for change in reversed(self.changes) for row in reversed(change.rows) if row.kind == ENTRY), None
        )
        wanted += [latest_entry] if latest_entry else []
        loaded = dict(
            zip(
                (ENTRY, CITATION),
                fetch(
                    {row.history_id for row in wanted if row.kind == ENTRY},
                    {row.history_id for row in wanted if row.kind == CITATION},
                ),
                strict=True,
            )
        )
        self.headline = loaded[ENTRY][latest_entry.history_id].headline if latest_entry else ""
        for change in told:
            tell(change, [(loaded[row.kind][row.history_id], self._previous_of(row, loaded)) for row in change.rows])
        return [
            State(
                c,
                loaded[ENTRY][entry_row.history_id] if (entry_row := rows[id(c)][0]) else None,
                [loaded[CITATION][row.history_id] for row in rows[id(c)][1]],
            )
            for c in changes
        ]

    def describe(self, changes: list[Change]) -> list[Change]:
        """Fill in who made each change, why, and what it changed in words (two queries)."""
        self.states([], describe=changes)
        return changes

    def _previous_of(self, row: Row, loaded: dict) -> Historical | None:
        previous = self.previous.get(row.key)
        return loaded[previous.kind][previous.history_id] if previous else None


def fetch(entry_ids: Iterable[int], citation_ids: Iterable[int]) -> tuple[dict, dict]:
    """Full historical rows of entries and citations by history id, with people, passages and sources."""
    entries = Entry.history.select_related("history_user").in_bulk(list(entry_ids)) if entry_ids else {}
    citations = (
        Citation.history.select_related("history_user", "passage__source")
        .defer("passage__source__text")
        .in_bulk(list(citation_ids))
        if citation_ids
        else {}
    )
    return entries, citations
