"""Crafted requests get a plain answer (a page, 404, 422), never a server error."""

import datetime

import pytest
from django.urls import reverse

from factline.models import Citation, Entry
from factline.services import entry_create


@pytest.fixture
def entry(timeline, owner):
    return entry_create(actor=owner, timeline=timeline, start=datetime.date(2023, 6, 30), headline="The vote")


@pytest.mark.parametrize(
    "since",
    [
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+14:00",
        "2024-03-01T09:00:00",
        # Offsets Python reads but PostgreSQL refuses (beyond ±15:59): the moment is asked for in UTC.
        "2024-03-01T09:00:00+16:00",
        "2024-03-01T09:00:00-23:59",
        "",
    ],
)
def test_the_poll_takes_any_moment(login, editor, timeline, since):
    response = login(editor).get(reverse("timeline-changes", args=[timeline.slug]), {"since": since})
    assert response.status_code == 200


def test_a_change_after_a_moment_with_a_far_offset_is_told(login, owner, editor, timeline):
    entry_create(actor=owner, timeline=timeline, start=datetime.date(2023, 6, 30), headline="The vote")
    response = login(editor).get(reverse("timeline-changes", args=[timeline.slug]), {"since": "2000-01-01T00:00+20:00"})
    assert response.status_code == 200 and "The vote" in response.text


@pytest.mark.parametrize("since", ["yesterday", "2024-02-30T00:00:00", "2024-03-01T09:00:00+24:00", "x" * 65, "\x00"])
def test_a_since_that_is_no_moment_is_a_400_that_says_so(login, editor, timeline, since):
    response = login(editor).get(reverse("timeline-changes", args=[timeline.slug]), {"since": since})
    assert response.status_code == 400 and "since" in response.text


BAD_CURRENT_URLS = ["http://[bad", "http://exa\x00mple/", "http://example/" + "a" * 5000, "http://ex\u202eample/"]


@pytest.mark.parametrize("current", BAD_CURRENT_URLS)
def test_a_malformed_current_url_on_the_poll_is_a_400(login, editor, timeline, current):
    headers = {"HX-Request": "true", "HX-Current-URL": current}
    response = login(editor).get(reverse("timeline-changes", args=[timeline.slug]), headers=headers)
    assert response.status_code == 400 and "HX-Current-URL" in response.text


@pytest.mark.parametrize("current", BAD_CURRENT_URLS)
def test_a_malformed_current_url_adds_no_entry_and_says_so(login, editor, timeline, current):
    headers = {"HX-Request": "true", "HX-Current-URL": current}
    data = {"headline": "Added once", "date": "2013", "status": "draft", "once": "t" * 32}
    response = login(editor).post(reverse("entry-create", args=[timeline.slug]), data, headers=headers)
    assert response.status_code == 400 and "HX-Current-URL" in response.text
    assert not Entry.objects.exists()
    # Sent again as htmx sends it, the same form adds the entry, once.
    headers["HX-Current-URL"] = "http://testserver" + timeline.get_absolute_url()
    assert login(editor).post(reverse("entry-create", args=[timeline.slug]), data, headers=headers).status_code == 200
    assert Entry.objects.filter(headline="Added once").count() == 1


@pytest.mark.parametrize("header", ["HX-Target", "HX-Trigger", "HX-Trigger-Name"])
@pytest.mark.parametrize("value", ["entry\x00list", "x" * 201])
def test_an_htmx_id_that_is_no_id_is_a_400(login, editor, timeline, header, value):
    response = login(editor).get(timeline.get_absolute_url(), headers={"HX-Request": "true", header: value})
    assert response.status_code == 400 and header in response.text


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
