"""Entries starting on the same day sort coarser first, in every list of them: one key, dates.sort_key."""

import csv
import datetime
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from factline import dates, selectors
from factline.models import Entry
from factline.models.timelines import Status
from factline.services import citation_create, entry_create, entry_set_status, snapshot_create, timeline_share

JAN, JUL = datetime.date(2013, 1, 1), datetime.date(2013, 7, 1)
# Added finest first, so that the order they were added in (their ids) is the wrong one.
ADDED = [
    ("Day-1-July", JUL, dates.DAY),
    ("Day-1-January", JAN, dates.DAY),
    ("Month-July", JUL, dates.MONTH),
    ("Month-January", JAN, dates.MONTH),
    ("Year-2013", JAN, dates.YEAR),
]
# "2013", "January 2013", "1 January 2013", "July 2013", "1 July 2013".
EXPECTED = ["Year-2013", "Month-January", "Day-1-January", "Month-July", "Day-1-July"]


@pytest.fixture
def mixed(timeline, owner, passage) -> list[Entry]:
    made = []
    for headline, start, precision in ADDED:
        entry = entry_create(actor=owner, timeline=timeline, start=start, precision=precision, headline=headline)
        citation_create(actor=owner, entry=entry, passage=passage)
        made.append(entry_set_status(entry=entry, actor=owner, status=Status.PUBLISHED))
    return made


def order_in(text: str) -> list[str]:
    """The headlines of EXPECTED in the order `text` first names them."""
    found = {name: text.index(name) for name in EXPECTED if name in text}
    assert len(found) == len(EXPECTED), f"missing: {set(EXPECTED) - set(found)}"
    return sorted(found, key=found.__getitem__)


def test_the_sort_key_puts_coarser_first_then_the_order_added():
    keys = [dates.sort_key(JUL, dates.DAY, 1), dates.sort_key(JUL, dates.MONTH, 2), dates.sort_key(JAN, dates.YEAR, 3)]
    assert sorted(keys) == [keys[2], keys[1], keys[0]]
    assert dates.sort_key(JUL, dates.DAY, 1) < dates.sort_key(JUL, dates.DAY, 2)


def test_the_database_order_is_the_sort_key(mixed):
    in_python = sorted(mixed, key=lambda e: dates.sort_key(e.start, e.precision, e.pk))
    assert [e.headline for e in in_python] == EXPECTED
    assert [e.headline for e in Entry.objects.order_by(*dates.entry_order())] == EXPECTED
    assert [e.headline for e in selectors.entries_of(mixed[0].timeline)] == EXPECTED
    assert [e.headline for e in selectors.published_entries(mixed[0].timeline)] == EXPECTED


def test_the_entry_after_each_is_the_next_in_that_order(mixed):
    among = Entry.objects.filter(timeline=mixed[0].timeline)
    by_name = {e.headline: e for e in mixed}
    for here, following in zip(EXPECTED, [*EXPECTED[1:], None], strict=True):
        after = selectors.entry_after(by_name[here], among.exclude(pk=by_name[here].pk))
        assert (after.headline if after else None) == following, here


def test_the_editor_page_lists_them_coarser_first(client, owner, mixed):
    client.force_login(owner)
    page = client.get(reverse("timeline-detail", args=[mixed[0].timeline.slug]))
    main = page.text[page.text.index('id="entry-list"') :]
    assert order_in(main) == EXPECTED


def test_the_public_page_and_a_snapshot_list_them_coarser_first(client, owner, mixed):
    timeline = timeline_share(timeline=mixed[0].timeline, actor=owner)
    snapshot = snapshot_create(timeline=timeline, actor=owner)
    for url in (
        reverse("public-timeline", args=[timeline.public_token]),
        reverse("snapshot-timeline", args=[snapshot.token]),
    ):
        page = client.get(url)
        assert page.status_code == 200
        # The list of entries, after the time axis (which lays them out by lanes, not as a list).
        assert order_in(page.text[page.text.index('class="p-year"') :]) == EXPECTED, url


def test_the_as_of_view_lists_them_coarser_first(client, owner, mixed):
    client.force_login(owner)
    page = client.get(reverse("timeline-as-of", args=[mixed[0].timeline.slug]), {"as_of": timezone.now().isoformat()})
    assert page.status_code == 200
    assert order_in(page.text[page.text.index("<main") :]) == EXPECTED
    assert [e.headline for e in selectors.entries_as_of(mixed[0].timeline, timezone.now())] == EXPECTED


@pytest.mark.parametrize("where", ["editor", "public"])
def test_the_exports_list_them_coarser_first(client, owner, mixed, where):
    timeline = timeline_share(timeline=mixed[0].timeline, actor=owner)
    client.force_login(owner)

    def url(fmt: str) -> str:
        if where == "editor":
            return reverse("timeline-export", args=[timeline.slug, fmt])
        return reverse("public-export", args=[timeline.public_token, fmt])

    data = json.loads(client.get(url("json")).content)
    assert [e["headline"] for e in data["entries"]] == EXPECTED
    rows = csv.DictReader(io.StringIO(client.get(url("csv")).content.decode("utf-8-sig")))
    assert [row["headline"] for row in rows] == EXPECTED
    timelinejs = json.loads(client.get(url("timelinejs")).content)
    assert [re.sub(r"<[^>]+>", "", e["text"]["headline"]) for e in timelinejs["events"]] == EXPECTED
    assert order_in(client.get(url("md")).content.decode()) == EXPECTED
