"""Crafted requests get a plain answer (a page, 404, 422), never a server error."""

import datetime

import pytest
from django.urls import reverse

from factline.models import Citation
from factline.services import entry_create


@pytest.fixture
def entry(timeline, owner):
    return entry_create(actor=owner, timeline=timeline, start=datetime.date(2023, 6, 30), headline="The vote")


@pytest.mark.parametrize(
    "since", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2024-03-01T09:00:00", "yesterday"]
)
def test_the_poll_takes_any_since(login, editor, timeline, since):
    response = login(editor).get(reverse("timeline-changes", args=[timeline.slug]), {"since": since})
    assert response.status_code == 200


def test_a_superscript_digit_is_not_a_passage_or_an_entry(login, editor, entry, source, passage):
    client = login(editor)
    url = reverse("entry-cite", args=[entry.timeline.slug, entry.pk])
    response = client.post(url, {"passage": "²", "stance": "supports", "quote": "voted"})
    assert response.status_code == 422 and not Citation.objects.exists()
    assert client.get(reverse("source-detail", args=[source.pk]), {"entry": "²"}).status_code == 200


@pytest.mark.parametrize("kind", ["entry", "citation", "timeline", "member", "snapshot", "nothing"])
def test_a_history_id_beyond_any_database_integer_is_404(login, editor, timeline, kind):
    url = reverse("change-detail", args=[timeline.slug, kind, 10**23])
    assert login(editor).get(url).status_code == 404
