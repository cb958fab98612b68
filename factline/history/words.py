"""Changes told in words, and two states of an entry compared word by word."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from factline import dates
from factline.history.rows import ENTRY, MEMBER, SNAPSHOT, TIMELINE, Change, Historical, State, note_and_summary
from factline.models.timelines import Status
from factline.people import display_name

_TOKENS = re.compile(r"\s*\S+|\s+$")  # each word with the space before it


def date_text(row: Historical) -> str:
    return dates.display(row.start, row.precision, row.approximate)


def end_text(row: Historical) -> str:
    return dates.display(row.end, row.end_precision or row.precision) if row.end else ""


def tag_set(tags: str) -> list[str]:
    return [tag.strip() for tag in (tags or "").split(",") if tag.strip()]


def entry_words(row: Historical, previous: Historical | None) -> list[str]:
    """What one entry row changed, in words, against the row before it."""
    if row.history_type == "-":
        return ["deleted"]
    if row.history_type == "+":
        return ["restored"] if previous is not None else ["created"]
    if previous is None:
        return ["changed"]
    words = []
    if date_text(previous) != date_text(row):
        words.append(f"date {date_text(previous)} → {date_text(row)}")
    if end_text(previous) != end_text(row):
        words.append(f"end date {end_text(previous) or 'none'} → {end_text(row) or 'none'}")
    if previous.date_note != row.date_note:
        words.append(
            "date note written"
            if not previous.date_note
            else "date note removed"
            if not row.date_note
            else "date note edited"
        )
    if previous.headline != row.headline:
        words.append("headline reworded")
    if previous.body != row.body:
        words.append("body written" if not previous.body else "body removed" if not row.body else "body edited")
    if previous.place != row.place:
        words.append(f"place {previous.place or 'none'} → {row.place or 'none'}")
    old_tags, new_tags = tag_set(previous.tags), tag_set(row.tags)
    words += [f"tag added: {tag}" for tag in new_tags if tag not in old_tags]
    words += [f"tag removed: {tag}" for tag in old_tags if tag not in new_tags]
    if previous.status != row.status:
        words.append("published" if row.status == Status.PUBLISHED else "unpublished")
    if previous.reviewed_at != row.reviewed_at and row.reviewed_at:
        words.append("marked reviewed")
    if previous.review_requested_at != row.review_requested_at:
        if row.review_requested_at:
            words.append("asked for review")
        elif row.review_note:
            words.append(f"sent back: “{row.review_note}”")
        elif row.status != Status.PUBLISHED:
            words.append("review request withdrawn")
    return words or ["saved without changes"]


def citation_label(row: Historical) -> str:
    passage = row.passage
    return f"{passage.source.title} ¶{passage.number}" if passage else f"passage {row.passage_id}"


def citation_words(row: Historical, previous: Historical | None) -> list[str]:
    label, stance = citation_label(row), row.get_stance_display().lower()
    if row.history_type == "+":
        return [f"citation added: {label} ({stance})"]
    if row.history_type == "-":
        return [f"citation removed: {label} ({stance})"]
    details = []
    if previous is not None and previous.stance != row.stance:
        details.append(f"{previous.get_stance_display().lower()} → {stance}")
    if previous is not None and (previous.quote, previous.passage_id) != (row.quote, row.passage_id):
        details.append("quote changed")
    if previous is not None and (previous.note or "") != (row.note or ""):
        details.append("note written" if not previous.note else "note removed" if not row.note else "note edited")
    return [f"citation changed: {label} ({', '.join(details) or stance})"]


def tell(change: Change, loaded: list[tuple[Historical, Historical | None]]) -> None:
    """Set the change's words, note, summary, person and headline; `loaded[i]` is `change.rows[i]` and its previous."""
    entry = entry_before = None
    citations = []
    for light, (row, previous) in zip(change.rows, loaded, strict=True):
        if light.kind == ENTRY:
            entry, entry_before = row, previous
        else:
            citations.append((row, previous))
    words = entry_words(entry, entry_before) if entry else []
    if words in (["deleted"], ["restored"]) and citations:
        # A delete or a restore takes all the entry's citations with it: say how many, not each.
        count = len(citations)
        words = [f"{words[0]} with {count} citation{'s' if count != 1 else ''}"]
    else:
        words += [word for row, previous in citations for word in citation_words(row, previous)]
    change.words = words
    first = loaded[0][0]
    change.user = next((row.history_user for row, _ in loaded if row.history_user_id is not None), None)
    told = [note_and_summary(row) for row in ([entry] if entry else []) + [row for row, _ in citations]]
    change.note = next((note for note, _ in told if note), "")
    change.summary = next((summary for _, summary in told if summary), "")
    change.entry_id = entry.id if entry else first.entry_id
    change.headline = entry.headline if entry else ""


# -- comparing two states --


def word_diff(old: str, new: str) -> SafeString:
    """`new` with the words taken out of `old` in <del> and the words put in in <ins>, escaped."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    # Compare the words alone, so that a change of spacing alone is not a change of words.
    out: list[str] = []
    for op, i1, i2, j1, j2 in _opcodes([t.strip() for t in a], [t.strip() for t in b]):
        removed, added = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            out.append(added)
            continue
        if removed:
            out.append(f"<del>{removed}</del>")
        if added:
            out.append(f"<ins>{added}</ins>")
    return mark_safe("".join(out))  # every piece was escaped above


# Past this many pairs of words, the changed middle is shown as replaced whole: difflib's matching
# is quadratic on repeated words (a body of 5,000 "w" took 6 s of CPU to compare).
_MAX_PAIRS = 1_000_000


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes for turning `a` into `b`, in bounded time: the common start and end are taken first."""
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a_end, b_end = len(a) - end, len(b) - end
    codes: list[tuple[str, int, int, int, int]] = [("equal", 0, start, 0, start)] if start else []
    if (a_end - start) * (b_end - start) > _MAX_PAIRS:
        codes.append(("replace", start, a_end, start, b_end))
    elif a_end > start or b_end > start:
        middle = difflib.SequenceMatcher(None, a[start:a_end], b[start:b_end], autojunk=False).get_opcodes()
        codes += [(op, i1 + start, i2 + start, j1 + start, j2 + start) for op, i1, i2, j1, j2 in middle]
    if end:
        codes.append(("equal", a_end, len(a), b_end, len(b)))
    return codes


@dataclass
class FieldDiff:
    label: str
    old: str
    new: str
    words: SafeString | None = None

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class CitationDiff:
    what: str  # added, removed or changed
    old: Historical | None
    new: Historical | None

    @property
    def citation(self) -> Historical:
        return self.new or self.old

    @property
    def label(self) -> str:
        return citation_label(self.citation)

    @property
    def quote_words(self) -> SafeString:
        """The quote before and after, word by word (a changed span adds or drops words at its ends)."""
        return word_diff(self.old.quote if self.old else "", self.new.quote if self.new else "")

    @property
    def note_words(self) -> SafeString:
        """The editors' note before and after, word by word (members' pages only)."""
        return word_diff(self.old.note if self.old else "", self.new.note if self.new else "")


def _fields(row: Historical | None) -> dict[str, str]:
    if row is None:
        return dict.fromkeys(("headline", "body", "date", "end", "date_note", "place", "tags", "status"), "")
    return {
        "headline": row.headline,
        "body": row.body,
        "date": date_text(row),
        "end": end_text(row),
        "date_note": row.date_note,
        "place": row.place,
        "tags": ", ".join(tag_set(row.tags)),
        "status": row.get_status_display(),
    }


LABELS = {
    "headline": "Headline",
    "body": "Body",
    "date": "Date",
    "end": "End date",
    "date_note": "How the date was worked out",
    "place": "Place",
    "tags": "Tags",
    "status": "Status",
}


def compare(old: State, new: State) -> tuple[list[FieldDiff], list[CitationDiff]]:
    """The fields of the entry between two states (headline and body word by word) and its citations."""
    before, after = _fields(old.entry), _fields(new.entry)
    fields = []
    for name, label in LABELS.items():
        words = word_diff(before[name], after[name]) if name in ("headline", "body", "date_note") else None
        fields.append(FieldDiff(label, before[name], after[name], words))
    was = {row.id: row for row in old.citations}
    now = {row.id: row for row in new.citations}
    citations = [CitationDiff("removed", was[pk], None) for pk in was if pk not in now]
    citations += [CitationDiff("added", None, now[pk]) for pk in now if pk not in was]
    citations += [
        CitationDiff("changed", was[pk], now[pk])
        for pk in now
        if pk in was and _citation_data(was[pk]) != _citation_data(now[pk])
    ]
    return fields, citations


def revert_consequences(now: State, then: State, citations: list[CitationDiff]) -> list[str]:
    """What going from `now` back to `then` does that readers of the public pages would notice, in words."""
    if now.entry is None or then.entry is None:
        return []
    words = []
    if now.entry.status == Status.PUBLISHED and then.entry.status != Status.PUBLISHED:
        words.append("This takes the entry off public pages: it goes back to being a draft.")
    elif then.entry.status == Status.PUBLISHED and now.entry.status != Status.PUBLISHED:
        words.append("This publishes the entry: it appears on public pages.")
    removed = [diff for diff in citations if diff.what == "removed"]
    if removed:
        named = "; ".join(f"{diff.label} ({diff.citation.get_stance_display().lower()})" for diff in removed)
        count = len(removed)
        words.append(f"This removes {count} citation{'s' if count != 1 else ''} from the entry: {named}.")
    return words


def _citation_data(row: Historical) -> tuple:
    return (row.passage_id, row.stance, row.quote, row.start, row.end, row.note)


def timeline_words(row: Historical, previous: Historical | None) -> list[str]:
    if row.history_type == "+":
        return ["timeline created"]
    if previous is None:
        return ["timeline changed"]
    words = []
    if previous.title != row.title:
        words.append(f"title “{previous.title}” → “{row.title}”")
    if previous.description != row.description:
        words.append("description edited")
    if bool(previous.public_token) != bool(row.public_token):
        words.append("public link turned on" if row.public_token else "public link turned off")
    elif previous.public_token != row.public_token:
        words.append("public link replaced")
    if previous.listed != row.listed:
        words.append("listed publicly" if row.listed else "no longer listed publicly")
    if previous.slug != row.slug:
        words.append(f"address {previous.slug} → {row.slug}")
    if previous.archived_at != row.archived_at:
        words.append("archived" if row.archived_at else "unarchived")
    if previous.deleted_at != row.deleted_at:
        words.append("timeline deleted" if row.deleted_at else "timeline restored")
    if previous.two_person_rule != row.two_person_rule:
        words.append("publishing needs a second editor" if row.two_person_rule else "editors publish on their own")
    return words or ["timeline saved without changes"]


def member_words(row: Historical, previous: Historical | None) -> list[str]:
    name = display_name(row.user, "someone")
    if row.history_type == "+":
        return [f"{name} added as {row.get_role_display().lower()}"]
    if row.history_type == "-":
        return [f"{name} removed"]
    if previous is not None and previous.role != row.role:
        return [f"{name}: {previous.get_role_display().lower()} → {row.get_role_display().lower()}"]
    return [f"{name} is {row.get_role_display().lower()}"]


def snapshot_words(row: Historical, previous: Historical | None) -> list[str]:
    moment = f"{row.as_of.day} {row.as_of:%b %Y, %H:%M} UTC"
    if row.history_type == "-":
        return [f"snapshot as of {moment} withdrawn"]
    return [f"snapshot shared, as it stood at {moment}"]


def record_words(kind: str, row: Historical, previous: Historical | None) -> list[str]:
    """What one row of the timeline itself, a membership or a snapshot changed, in words."""
    return {TIMELINE: timeline_words, MEMBER: member_words, SNAPSHOT: snapshot_words}[kind](row, previous)


def record_fields(kind: str, row: Historical, previous: Historical | None) -> list[FieldDiff]:
    """A timeline's, a membership's or a snapshot's fields before and after one of its rows."""
    if kind == SNAPSHOT:
        pairs = [
            ("As it stood at", f"{row.as_of:%Y-%m-%d %H:%M} UTC", f"{row.as_of:%Y-%m-%d %H:%M} UTC", False),
            ("Link", "off" if row.history_type == "+" else "on", "off" if row.history_type == "-" else "on", False),
        ]
    elif kind == TIMELINE:
        pairs = [
            ("Title", previous.title if previous else "", row.title, True),
            ("Address", previous.slug if previous else "", row.slug, False),
            ("Description", previous.description if previous else "", row.description, True),
            ("Public link", *_links(previous.public_token if previous else None, row.public_token), False),
            ("Listed publicly", "yes" if previous and previous.listed else "no", "yes" if row.listed else "no", False),
        ]
    else:
        person = display_name(row.user, "someone")
        old_role = previous.get_role_display() if previous and previous.history_type != "-" else ""
        new_role = "" if row.history_type == "-" else row.get_role_display()
        pairs = [("Person", person, person, False), ("Role", old_role or "none", new_role or "none", False)]
    return [FieldDiff(label, old, new, word_diff(old, new) if text else None) for label, old, new, text in pairs]


def _links(old: str | None, new: str | None) -> tuple[str, str]:
    """The public link before and after, in words: on, off, or replaced, never the token itself."""
    if old and new and old != new:
        return "on (the earlier link)", "on (a new link; the earlier one no longer opens)"
    return ("on" if old else "off"), ("on" if new else "off")


SOURCE_FIELDS = [
    ("title", "title"),
    ("publisher", "publisher"),
    ("author", "author"),
    ("url", "URL"),
    ("published", "publication date"),
    ("language", "language"),
    ("replaces_id", "replaces"),
]


def _published(row: Historical) -> str:
    return dates.display(row.published, row.published_precision, row.published_approximate) if row.published else ""


def source_words(row: Historical, previous: Historical | None) -> list[str]:
    if row.history_type == "+":
        return ["imported"]
    if previous is None:
        return ["changed"]
    words = []
    for name, label in SOURCE_FIELDS:
        old, new = getattr(previous, name), getattr(row, name)
        if name == "published":  # as far as it is known: "June 2023" → "30 June 2023" is a change
            old, new = _published(previous), _published(row)
        if old == new:
            continue
        words.append(f"{label} {old or 'none'} → {new or 'none'}")
    return words or ["saved without changes"]
