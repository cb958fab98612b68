"""Issue 14: every free-text field has a documented cap, held by forms, services and the database, and
the largest allowed pathological value of each renders every page and export in under a second of CPU.

The CPU bound is the issue's own acceptance test (a body of 20,000 "[" cost 41 s on the first view of
the editor page, and `](` repeated 6,000 times 5.9 s per anonymous GET of the Markdown export), so
these tests measure time.process_time() per request, with the render cache emptied before each.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, transaction
from django.urls import reverse

from factline import limits, markdown
from factline.history import EntryHistory
from factline.models import Entry, Source, Timeline
from factline.services import (
    citation_create,
    entry_create,
    entry_update,
    snapshot_create,
    source_import,
    source_rate,
    timeline_share,
    timeline_update,
)
from tests.conftest import PASSWORD

CPU_BOUND = 1.0


def pathological(unit: str, limit: int) -> str:
    return (unit * limit)[:limit]


BODY_UNITS = {
    "unclosed brackets": "[",
    "link openings": "](",
    "link starts": "[a](",
    "images": "![",
    "nested emphasis, brackets and backticks": "*_[`",
    "script links": "[a](javascript:x)",
    "one word": "w",
    "many words": "w ",
}
# What each other field is filled with: the one the export's link stripper found hardest, unless
# the field refuses it.
FIELDS = {
    "headline": limits.HEADLINE_MAX,
    "place": limits.PLACE_MAX,
    "tags": limits.TAGS_MAX,
    "date_note": limits.DATE_NOTE_MAX,
    "timeline title": limits.TITLE_MAX,
    "timeline description": limits.DESCRIPTION_MAX,
    "source title": limits.SOURCE_TITLE_MAX,
    "source publisher": limits.PUBLISHER_MAX,
    "source author": limits.AUTHOR_MAX,
    "rating reason": limits.RATING_REASON_MAX,
    "quote": limits.QUOTE_MAX,
}


def _pages(timeline: Timeline, entry: Entry, passage_pk: int, snapshot_token: str) -> list[tuple[str, dict]]:
    """Every page and export an entry's words reach, for a member and for readers."""
    first, *_, last = [change.key for change in EntryHistory(entry.pk, entry.timeline_id).changes]
    slug, key = timeline.slug, timeline.public_token
    pages = [
        (reverse("timeline-detail", args=[slug]), {}),
        (reverse("entry-detail", args=[slug, entry.pk]), {}),
        (reverse("entry-edit", args=[slug, entry.pk]), {}),
        (reverse("entry-history", args=[slug, entry.pk]), {}),
        (reverse("entry-compare", args=[slug, entry.pk]), {"from": first, "to": last}),
        (reverse("timeline-as-of", args=[slug]), {"as_of": datetime.date.today().isoformat()}),
        (reverse("source-detail", args=[entry.citations.get().passage.source_id]), {}),
        (reverse("public-timeline", args=[key]), {}),
        (reverse("public-passage", args=[key, passage_pk]), {}),
        (reverse("snapshot-timeline", args=[snapshot_token]), {}),
        (reverse("public-embed", args=[key]), {}),
    ]
    for fmt in ("json", "csv", "timelinejs", "md"):
        pages.append((reverse("timeline-export", args=[slug, fmt]), {}))
        pages.append((reverse("public-export", args=[key, fmt]), {}))
    return pages


def _story(owner, *, body="Words.", field: str | None = None, value: str = "") -> tuple[Timeline, Entry, int, str]:
    """A shared timeline with one published entry citing one source, `field` filled with `value`."""
    entry_fields = {"headline", "place", "tags", "date_note"}
    text = "Mali votes\n\nThe Security Council voted to end the mission.\n"
    if field == "quote":
        text += value + "\n"
    source = source_import(data=text.encode(), origin="limits.txt")
    passage = source.passages.get(number=3 if field == "quote" else 2)
    timeline = Timeline.objects.get(memberships__user=owner)
    fields = {"body": body, "headline": "A vote"}
    if field in entry_fields:
        fields[field] = value
    entry = entry_create(actor=owner, timeline=timeline, start=datetime.date(2023, 6, 30), **fields)
    citation_create(actor=owner, entry=entry, passage=passage)
    entry = entry_update(entry=entry, actor=owner, status="published", body=body + " ", reason="Checked")
    if field == "timeline title":
        timeline_update(timeline=timeline, actor=owner, title=value)
    elif field == "timeline description":
        timeline_update(timeline=timeline, actor=owner, description=value)
    elif field in ("source title", "source publisher", "source author"):
        Source.objects.filter(pk=source.pk).update(**{field.split()[1]: value})
    elif field == "rating reason":
        source_rate(actor=owner, timeline=timeline, source=source, reliability="mixed", reason=value)
    timeline = timeline_share(timeline=timeline, actor=owner)
    snapshot = snapshot_create(timeline=timeline, actor=owner)
    return timeline, entry, passage.pk, snapshot.token


def _assert_every_page_within_bound(client, owner, story) -> None:
    client.login(username=owner.username, password=PASSWORD)
    slowest = []
    for url, params in _pages(*story):
        markdown.cache.clear()  # the first view, as the issue measured it
        started = time.process_time()
        response = client.get(url, params)
        spent = time.process_time() - started
        assert response.status_code == 200, url
        slowest.append((spent, url))
    spent, url = max(slowest)
    assert spent < CPU_BOUND, f"{url}: {spent:.2f} s of CPU"


@pytest.fixture
def owned_timeline(owner, timeline):
    return timeline


@pytest.mark.parametrize("unit", BODY_UNITS.values(), ids=BODY_UNITS.keys())
def test_the_largest_allowed_pathological_body_renders_every_page_and_export_within_a_second(
    client, owner, owned_timeline, unit
):
    story = _story(owner, body=pathological(unit, limits.BODY_MAX - 1))  # the update adds a space
    assert len(story[1].body) == limits.BODY_MAX
    _assert_every_page_within_bound(client, owner, story)


@pytest.mark.parametrize("field", FIELDS, ids=FIELDS.keys())
def test_the_largest_allowed_value_of_each_field_renders_every_page_and_export_within_a_second(
    client, owner, owned_timeline, field
):
    story = _story(owner, field=field, value=pathological("](", FIELDS[field]))
    _assert_every_page_within_bound(client, owner, story)


def test_the_markdown_export_strips_script_links_of_a_long_body_in_linear_time(owner, owned_timeline):
    from factline import exports

    for unit in ("](", "[a](", "](<", "[a](&#106;", "[a](javascript:x)"):
        started = time.process_time()
        text = exports._md_body(pathological(unit, limits.BODY_MAX))
        assert time.process_time() - started < 0.5, unit  # was 53 s for "](" (quadratic)
        assert "javascript:" not in text


# -- the caps: forms, services, the database --


def test_the_entry_form_says_which_field_is_too_long_and_saves_nothing(client, editor, timeline):
    client.login(username=editor.username, password=PASSWORD)
    data = {"date": "2013", "headline": "Ok", "body": "x" * (limits.BODY_MAX + 1), "tags": "t" * (limits.TAGS_MAX + 1)}
    response = client.post(reverse("entry-create", args=[timeline.slug]), data)
    page = response.content.decode()
    assert f"Ensure this value has at most {limits.BODY_MAX:,}" in page or f"at most {limits.BODY_MAX}" in page
    assert f"at most {limits.TAGS_MAX} characters" in page
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("field", "limit"),
    [("headline", limits.HEADLINE_MAX), ("body", limits.BODY_MAX), ("place", limits.PLACE_MAX)],
)
def test_the_entry_services_refuse_an_over_long_field(owner, timeline, field, limit):
    fields = {"headline": "A vote", field: "x" * (limit + 1)}
    with pytest.raises(ValidationError) as refused:
        entry_create(actor=owner, timeline=timeline, start=datetime.date(2013, 1, 1), **fields)
    assert field in refused.value.message_dict
    assert not Entry.objects.exists()


def test_the_timeline_and_rating_services_refuse_over_long_text(owner, timeline, source):
    with pytest.raises(ValidationError):
        timeline_update(timeline=timeline, actor=owner, description="x" * (limits.DESCRIPTION_MAX + 1))
    with pytest.raises(ValidationError):
        source_rate(actor=owner, timeline=timeline, source=source, reliability="mixed", reason="x" * 2001)
    with pytest.raises(ValidationError):
        entry_create(actor=owner, timeline=timeline, start=datetime.date(2013, 1, 1), headline="A", reason="x" * 1001)


@pytest.mark.parametrize(
    ("model", "field", "limit"),
    [
        (Entry, "body", limits.BODY_MAX),
        (Entry, "headline", limits.HEADLINE_MAX),
        (Entry, "date_note", limits.DATE_NOTE_MAX),
        (Timeline, "description", limits.DESCRIPTION_MAX),
        (Timeline, "title", limits.TITLE_MAX),
        (Source, "title", limits.SOURCE_TITLE_MAX),
    ],
)
def test_the_database_refuses_an_over_long_value_written_past_the_services(model, field, limit, timeline, source):
    # SQLite ignores a VARCHAR's length: the check constraint holds there too.
    row = {Entry: Entry.objects.filter(pk__in=[]), Timeline: Timeline.objects.filter(pk=timeline.pk)}.get(model)
    if model is Entry:
        entry = Entry.objects.create(timeline=timeline, start=datetime.date(2013, 1, 1), headline="A")
        row = Entry.objects.filter(pk=entry.pk)
    elif model is Source:
        row = Source.objects.filter(pk=source.pk)
    # PostgreSQL refuses an over-long VARCHAR before its check runs (DataError).
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        row.update(**{field: "x" * (limit + 1)})
    row.update(**{field: "x" * limit})  # the cap itself is allowed
    assert connection.vendor in ("sqlite", "postgresql")


# -- hidden characters --

HIDDEN = ["\u202e", "\u2066", "\u2069", "\u202a", "\x00", "\x07", "\x1b", "\x85", "\x9b", "\n", "\t"]


@pytest.mark.parametrize("char", HIDDEN, ids=[f"U+{ord(c):04X}" for c in HIDDEN])
def test_a_headline_with_a_bidi_or_control_character_is_refused_next_to_the_field(client, editor, timeline, char):
    client.login(username=editor.username, password=PASSWORD)
    data = {"date": "2013", "headline": f"Coup in exe.{char}txt"}
    response = client.post(reverse("entry-create", args=[timeline.slug]), data)
    page = response.content.decode()
    if char == "\x00":
        assert response.status_code in (200, 400, 422) and not Entry.objects.exists()
        return
    assert "invisible control character" in page and f"U+{ord(char):04X}" in page
    assert not Entry.objects.exists()


@pytest.mark.parametrize("field", ["headline", "place", "tags"])
def test_the_entry_services_refuse_hidden_characters_in_single_line_fields(owner, timeline, field):
    fields = {"headline": "A vote", field: "exe.\u202etxt"}
    with pytest.raises(ValidationError) as refused:
        entry_create(actor=owner, timeline=timeline, start=datetime.date(2013, 1, 1), **fields)
    assert field in refused.value.message_dict


def test_timeline_and_source_titles_refuse_hidden_characters(client, owner, timeline, source):
    with pytest.raises(ValidationError):
        timeline_update(timeline=timeline, actor=owner, title="Sahel \u2066watch")
    client.login(username=owner.username, password=PASSWORD)
    response = client.post(reverse("source-edit", args=[source.pk]), {"title": "Mali\u202e votes", "language": "en"})
    assert "invisible control character" in response.content.decode()
    source.refresh_from_db()
    assert source.title == "Mali votes"


def test_a_source_text_keeps_its_hidden_characters_and_shows_them_escaped(client, owner, timeline):
    text = "Spoofed\n\nThe mission said gnp.\u202eexe ended on 30 June.\n"
    source = source_import(data=text.encode(), origin="bidi.txt")
    passage = source.passages.get(number=2)
    assert "\u202e" in passage.text  # evidence is kept as it came
    client.login(username=owner.username, password=PASSWORD)
    page = client.get(reverse("source-detail", args=[source.pk])).content.decode()
    assert '<span class="ctl" data-ctl="U+202E">\u202e</span>' in page
    assert page.count("\u202e") == page.count('data-ctl="U+202E">\u202e')  # never loose in the page
    entry = entry_create(actor=owner, timeline=timeline, start=datetime.date(2023, 6, 30), headline="Mission ends")
    citation_create(actor=owner, entry=entry, passage=passage)
    entry_update(entry=entry, actor=owner, status="published")
    timeline = timeline_share(timeline=timeline, actor=owner)
    public = client.get(reverse("public-timeline", args=[timeline.public_token])).content.decode()
    assert 'data-ctl="U+202E"' in public
    assert public.count("\u202e") == public.count('data-ctl="U+202E">\u202e')


def test_the_limits_are_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for limit in (limits.BODY_MAX, limits.HEADLINE_MAX, limits.QUOTE_MAX, limits.SEARCH_QUERY_MAX):
        assert f"{limit:,}" in readme
