"""What the conflict screen shows: my edit and the other person's, against the version both started from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from factline.forms import EntryForm
from factline.models import Entry
from factline.services import EditConflict
from factline.services.entries import normalise_tags

FIELDS = [
    ("date", "Date"),
    ("end", "End date"),
    ("date_note", "How the date was worked out"),
    ("headline", "Headline"),
    ("body", "Body"),
    ("place", "Place"),
    ("tags", "Tags"),
    ("status", "Status"),
]


@dataclass
class FieldChange:
    name: str
    label: str
    base: str
    mine: str
    theirs: str

    @property
    def i_changed(self) -> bool:
        return self.mine != self.base

    @property
    def they_changed(self) -> bool:
        return self.theirs != self.base

    @property
    def clash(self) -> bool:
        return self.i_changed and self.they_changed and self.mine != self.theirs

    @property
    def merged(self) -> str:
        return self.mine if self.i_changed else self.theirs


def _values(entry: Entry) -> dict[str, str]:
    initial = EntryForm.initial_for(entry)
    return {name: str(initial[name] or "") for name, _ in FIELDS}


def _typed(form: EntryForm) -> dict[str, str]:
    """The refused edit written as the entry would show it, so a date typed another way is not a change."""
    fields = form.entry_fields()
    return _values(Entry(**{**fields, "tags": normalise_tags(fields["tags"])}))


def compare(form: EntryForm, conflict: EditConflict) -> dict[str, Any]:
    current = conflict.current
    theirs = _values(current)
    mine = _typed(form)
    base_record = current.history.filter(version=conflict.expected_version).first()
    base = _values(base_record.instance) if base_record else theirs
    changes = [FieldChange(name, label, base[name], mine[name], theirs[name]) for name, label in FIELDS]
    latest = current.history.select_related("history_user").first()
    merged = {change.name: change.merged for change in changes}
    retry = {"version": current.version, "summary": form.data.get("summary", "")}
    return {
        "entry": current,
        "changes": changes,
        "their_changes": [c for c in changes if c.they_changed],
        "my_changes": [c for c in changes if c.i_changed],
        "who": latest.history_user if latest else None,
        "when": latest.history_date if latest else None,
        "their_reason": latest.history_change_reason if latest else "",
        # My changes win where we both changed a field; theirs stand where only they did.
        "keep_mine": {**merged, **retry},
        "merge_form": EntryForm(
            initial={**merged, **retry}, timeline=current.timeline, entry=current, auto_id=f"merge_{current.pk}_%s"
        ),
    }
