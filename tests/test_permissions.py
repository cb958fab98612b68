"""Every URL of a timeline: 404 for people who are not members, no change possible for viewers."""

import datetime
import re

import pytest
from django.urls import get_resolver, resolve

from factline.models import Citation, Entry, Membership, Source, Timeline
from factline.services import citation_create, entry_create
from tests.conftest import PASSWORD


def timeline_routes() -> list[str]:
    """Every route that names a timeline by its slug, as a pattern string."""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, route)
            elif "<slug:slug>" in route:
                found.append(route)

    walk(get_resolver().url_patterns)
    return found


# Values that make the other parts of a route match, so a 404 is the permission check's, not the router's.
PARTS = {"kind": "entry", "fmt": "json"}


def fill(route: str, slug: str, number: int) -> str:
    route = route.replace("<slug:slug>", slug)
    route = re.sub(r"<int:\w+>", str(number), route)
    url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda part: PARTS.get(part.group(1), "x"), route)
    resolve(url)  # raises Resolver404 if the route was not filled in as it must be
    return url


@pytest.fixture
def content(timeline, owner, passage):
    entry = entry_create(actor=owner, timeline=timeline, start=datetime.date(2023, 1, 1), headline="Secret entry")
    citation_create(actor=owner, entry=entry, passage=passage, quote="voted unanimously")
    return entry


def history_rows() -> int:
    return sum(model.history.count() for model in (Timeline, Membership, Entry, Citation, Source))


def test_there_are_timeline_routes_to_check():
    assert len(timeline_routes()) >= 9


def test_a_non_member_gets_404_for_every_url_of_the_timeline(client, outsider, timeline, content):
    client.login(username=outsider.username, password=PASSWORD)
    citation = Citation.objects.get()
    for route in timeline_routes():
        for number in {content.pk, citation.pk, Membership.objects.first().pk}:
            url = fill(route, timeline.slug, number)
            got = client.get(url).status_code
            posted = client.post(url, {"status": "published", "headline": "x", "date": "2013"}).status_code
            # 405 answers a method the route never takes, whoever asks; it reveals nothing.
            assert {got, posted} <= {404, 405} and 404 in {got, posted}, url


def test_a_viewer_cannot_change_anything_by_crafted_post(client, viewer, timeline, content):
    client.login(username=viewer.username, password=PASSWORD)
    before = history_rows()
    citation = Citation.objects.get()
    data = {
        "status": "published",
        "headline": "Hijacked",
        "date": "2013",
        "version": "1",
        "username": "vera",
        "role": "owner",
        "title": "Hijacked",
        "quote": "voted",
        "passage": citation.passage_id,
        "stance": "supports",
    }
    for route in timeline_routes():
        for number in {content.pk, citation.pk, Membership.objects.get(user=viewer).pk}:
            url = fill(route, timeline.slug, number)
            response = client.post(url, data)
            assert response.status_code in (403, 404, 405), url
    assert history_rows() == before
    assert Entry.objects.get().headline == "Secret entry"


def test_a_non_member_sees_none_of_the_timelines_entries_beside_a_sources_passages(client, outsider, source, content):
    client.login(username=outsider.username, password=PASSWORD)
    response = client.get(source.get_absolute_url())
    assert response.status_code == 200
    assert "Secret entry" not in response.text


def test_a_member_sees_the_entries_citing_each_passage(client, viewer, source, content):
    client.login(username=viewer.username, password=PASSWORD)
    assert "Secret entry" in client.get(source.get_absolute_url()).text


def test_refusals_are_pages_of_the_site_that_say_why(client, viewer, outsider, timeline, content):
    client.login(username=viewer.username, password=PASSWORD)
    refused = client.get(f"/t/{timeline.slug}/entries/{content.pk}/edit/")
    assert refused.status_code == 403
    assert "Only editors of this timeline may do that." in refused.text and 'class="site-header"' in refused.text
    client.login(username=outsider.username, password=PASSWORD)
    missing = client.get(f"/t/{timeline.slug}/")
    assert missing.status_code == 404 and 'class="site-header"' in missing.text
