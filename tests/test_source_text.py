"""Pages that show passages never read their sources' full text (an article each, fetched per citation)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from factline import selectors
from factline.models import Citation
from factline.models.timelines import Status
from factline.services import entry_create_citing, entry_set_status, source_rate, source_update, timeline_share

# The source's text column as Django writes it in a SELECT, live or historical.
SOURCE_TEXT = re.compile(r'"factline_(?:historical)?source"\."text"')


def reads_source_text(queries) -> list[str]:
    return [query["sql"] for query in queries if SOURCE_TEXT.search(query["sql"])]


@pytest.fixture
def published(owner, timeline, passage):
    entry = entry_create_citing(
        actor=owner,
        timeline=timeline,
        passage=passage,
        quote=passage.text,
        start=datetime.date(2023, 6, 30),
        headline="The vote",
    )
    source_rate(actor=owner, timeline=timeline, source=passage.source, reliability="reliable", reason="A wire.")
    entry_set_status(entry=entry, actor=owner, status=Status.PUBLISHED)
    return timeline_share(timeline=timeline, actor=owner), entry


def test_the_check_sees_a_source_text_read(published):
    with CaptureQueriesContext(connection) as captured:
        list(Citation.objects.select_related("passage__source"))
    assert reads_source_text(captured.captured_queries)


def test_pages_showing_passages_leave_the_source_text_unread(client, owner, published):
    timeline, entry = published
    today = timezone.now().date().isoformat()  # a day alone reads as it stands now
    passage_id = entry.citations.get().passage_id
    client.force_login(owner)
    pages = {
        "editor page": timeline.get_absolute_url(),
        "public page": reverse("public-timeline", args=[timeline.public_token]),
        "public passage": reverse("public-passage", args=[timeline.public_token, passage_id]),
        "as of": reverse("timeline-as-of", args=[timeline.slug]) + "?as_of=" + today,
        "search": reverse("entry-cite", args=[timeline.slug, entry.pk]) + "?q=mission",
        "entry history": reverse("entry-history", args=[timeline.slug, entry.pk]),
        "compare": reverse("entry-compare", args=[timeline.slug, entry.pk]),
        "export": reverse("public-export", args=[timeline.public_token, "json"]),
    }
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        assert reads_source_text(captured.captured_queries) == [], name


def test_sources_as_of_are_their_details_then(clock, owner, timeline, source):
    then = timezone.now()
    clock.tick()
    source_update(source=source, actor=owner, title="Renamed later")
    with CaptureQueriesContext(connection) as captured:
        found = selectors.sources_as_of({source.pk}, then)
    assert len(captured.captured_queries) == 1
    assert found[source.pk].title != "Renamed later"
    assert found[source.pk].published == source.published
    assert "text" in found[source.pk].get_deferred_fields()
