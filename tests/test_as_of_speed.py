"""The timeline as it stood, fast: its own reading of history equals simple-history's as_of at every
moment, it costs the same queries at 10 or 1,000 entries, and a long one is shown a year at a time."""

from __future__ import annotations

import contextlib
import datetime
import random
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from factline import selectors
from factline.models import Citation, Entry, Source, SourceRating
from factline.models.ratings import Reliability
from factline.models.timelines import Stance
from factline.services import citation_update, source_rate, source_update
from tests.conftest import PASSWORD
from tests.test_history_as_of import edit_at_random
from tests.test_views_timelines import many_passages


def fields(obj) -> tuple:
    return tuple(getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields)


def ours(model, when, **scope) -> dict:
    return {obj.pk: fields(obj) for obj in selectors.rows_as_of(model, when, **scope).as_instances()}


def simple_historys(model, when, **scope) -> dict:
    return {obj.pk: fields(obj) for obj in model.history.as_of(when).filter(**scope)}


def change_something_else(rng, timeline, actor, sources, step: int) -> None:
    """A citation's stance, a rating set, changed or removed, or a source's details."""
    action = rng.choice(["stance", "rate", "rate", "unrate", "source"])
    source = rng.choice(sources)
    if action == "stance" and (citation := Citation.objects.filter(entry__timeline=timeline).first()):
        with contextlib.suppress(ValidationError):  # the last support of a published entry stays
            citation_update(citation=citation, actor=actor, stance=rng.choice(list(Stance.values)))
    elif action in ("rate", "unrate"):
        reliability = rng.choice(list(Reliability.values)) if action == "rate" else ""
        source_rate(actor=actor, timeline=timeline, source=source, reliability=reliability, reason=f"Step {step}")
    elif action == "source":
        source_update(source=source, actor=actor, title=f"Report, revised {step}")


def test_the_past_read_through_the_index_is_simple_historys_as_of_at_every_moment(timeline, editor, owner, source):
    passages = list(source.passages.filter(boilerplate=False)) + many_passages(3)
    sources = list(Source.objects.all())
    rng = random.Random(7)
    moments = [timezone.now()]
    for step in range(70):
        edit_at_random(rng, timeline, [editor, owner], passages, step)
        change_something_else(rng, timeline, rng.choice([editor, owner]), sources, step)
        moments.append(timezone.now())
    # The walk did what it is meant to test: entries and citations deleted, restored, ratings removed.
    assert Entry.history.filter(history_type="-").exists() and Citation.history.filter(history_type="-").exists()
    assert Entry.history.filter(history_action="restored").exists()
    assert SourceRating.history.filter(history_type="-").exists()

    ids = list(Entry.history.values_list("id", flat=True).distinct())
    source_ids = [s.pk for s in sources]
    for when in moments:
        assert ours(Entry, when, timeline_id=timeline.pk) == simple_historys(Entry, when, timeline_id=timeline.pk)
        assert ours(Citation, when, entry_id__in=ids) == simple_historys(Citation, when, entry_id__in=ids)
        assert ours(SourceRating, when, timeline_id=timeline.pk) == simple_historys(
            SourceRating, when, timeline_id=timeline.pk
        )
        assert ours(Source, when, id__in=source_ids) == simple_historys(Source, when, id__in=source_ids)
    # ...and not trivially: the past differed from moment to moment.
    assert len({frozenset(ours(Citation, when, entry_id__in=ids).items()) for when in moments}) > 10


def big_timeline_with_history(timeline, passages, count: int) -> None:
    """`count` entries of 2000-2023 with three citations each, written with their history rows."""
    bulk_create_with_history(
        [
            Entry(
                timeline=timeline,
                start=datetime.date(2000 + i % 24, 1 + i % 12, 1),
                precision="month",
                headline=f"E{i}",
            )
            for i in range(count)
        ],
        Entry,
    )
    entries = list(Entry.objects.filter(timeline=timeline))
    citations = [
        Citation(entry=entry, passage=passage, quote="voted", start=passage.text.index("voted"), stance=stance)
        for i, entry in enumerate(entries)
        for j, stance in enumerate((Stance.SUPPORTS, Stance.CONTRADICTS, Stance.CONTEXT))
        for passage in [passages[(3 * i + j) % len(passages)]]
    ]
    for citation in citations:
        citation.end = citation.start + len("voted")
    bulk_create_with_history(citations, Citation)


@pytest.mark.parametrize("count", [10, 1000])
def test_the_as_of_view_needs_the_same_queries_for_10_or_1000_entries(
    client, owner, viewer, timeline, count, django_assert_max_num_queries
):
    passages = many_passages(12)
    big_timeline_with_history(timeline, passages, count)
    rated = {p.source_id for p in passages[:4]}
    for source in Source.objects.filter(pk__in=rated):
        source_rate(actor=owner, timeline=timeline, source=source, reliability="reliable")
    client.login(username=viewer.username, password=PASSWORD)
    url = reverse("timeline-as-of", args=[timeline.slug])
    with django_assert_max_num_queries(12):
        response = client.get(url, {"as_of": timezone.now().isoformat()})
    assert response.status_code == 200
    listed = response.context["entries"]
    assert len(listed) == (10 if count == 10 else 1000 // 24)  # a long one: its latest year, 2023, only
    assert all(len(entry.citations.all()) == 3 for entry in listed)
    ratings = {c.passage.source_id: c.rating for e in listed for c in e.citations.all()}
    assert {source for source, rating in ratings.items() if rating == "reliable"} == rated & set(ratings)


def test_a_long_past_is_shown_a_year_at_a_time_each_link_at_the_same_moment(
    client, viewer, timeline, monkeypatch, source, passage
):
    monkeypatch.setattr(selectors, "YEAR_PAGES_FROM", 5)
    big_timeline_with_history(timeline, [passage], 8)  # 2000-2007, one entry each
    when = timezone.now().isoformat()
    client.login(username=viewer.username, password=PASSWORD)
    url = reverse("timeline-as-of", args=[timeline.slug])
    page = client.get(url, {"as_of": when})
    assert [e.headline for e in page.context["entries"]] == ["E7"]  # the latest year first
    links = page.context["pages"].years
    assert links == list(range(2000, 2008))
    html = page.text
    assert 'aria-label="Jump to year"' in html and 'aria-current="page">2007</a>' in html
    # Each year's link keeps the moment: a reader moving between years stays in the same past.
    start = html.index('aria-label="Jump to year"')
    href = html[html.index('href="', start) + 6 : html.index('"', html.index('href="', start) + 6)]
    query = parse_qs(urlsplit(href.replace("&amp;", "&")).query)
    assert query == {"as_of": [when], "year": ["2000"]}
    other = client.get(url, query)
    assert [e.headline for e in other.context["entries"]] == ["E0"]
    assert 'aria-current="page">2000</a>' in other.text
    # A year that is no year is not an error: the page shows its latest year, as with none asked.
    for bad in ("abc", "0", "99999", "-3"):
        response = client.get(url, {"as_of": when, "year": bad})
        assert response.status_code == 200 and [e.headline for e in response.context["entries"]] == ["E7"]
    # A year the timeline had nothing in says so.
    empty = client.get(url, {"as_of": when, "year": 1999})
    assert empty.context["entries"] == [] and "no entries in 1999" in empty.text


def test_a_short_past_stays_on_one_page_without_year_links(client, viewer, timeline, passage):
    big_timeline_with_history(timeline, [passage], 8)
    client.login(username=viewer.username, password=PASSWORD)
    page = client.get(reverse("timeline-as-of", args=[timeline.slug]), {"as_of": timezone.now().isoformat()})
    assert len(page.context["entries"]) == 8 and 'aria-label="Jump to year"' not in page.text
