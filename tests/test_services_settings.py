"""Timeline settings and citations changed in place: each rule, through the services and the pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from factline import services
from factline.models import Citation, Entry, Membership, Timeline, TimelineAddress
from factline.models.changes import Action
from factline.models.timelines import ARCHIVED_MESSAGE, Role, Stance
from factline.services.base import Archived


@pytest.fixture
def cited(timeline, owner, passage):
    entry = services.entry_create(actor=owner, timeline=timeline, start=datetime.date(2023, 6, 30), headline="Vote")
    citation = services.citation_create(actor=owner, entry=entry, passage=passage, quote="voted unanimously")
    return entry, citation


# -- rename, describe, move --


def test_a_new_address_keeps_the_old_one_redirecting_every_page(timeline, owner, login):
    services.timeline_update(timeline=timeline, actor=owner, title="Sahel desk", slug="sahel-desk")
    timeline.refresh_from_db()
    assert (timeline.title, timeline.slug) == ("Sahel desk", "sahel-desk")
    assert TimelineAddress.objects.filter(timeline=timeline, slug="sahel-watch").exists()
    row = Timeline.history.filter(id=timeline.pk).latest("history_id")
    assert row.history_action == Action.MOVED and "sahel-watch → sahel-desk" in row.history_note
    client = login(owner)
    answer = client.get("/t/sahel-watch/activity/?entry=1")
    assert answer.status_code == 302 and answer["Location"] == "/t/sahel-desk/activity/?entry=1"
    assert client.get("/t/sahel-watch/").headers["Location"] == "/t/sahel-desk/"


def test_an_old_address_is_not_found_for_non_members(timeline, owner, outsider, login):
    services.timeline_update(timeline=timeline, actor=owner, slug="sahel-desk")
    assert login(outsider).get("/t/sahel-watch/").status_code == 404


def test_an_address_another_timeline_has_or_had_is_refused(timeline, owner):
    other = services.timeline_create(actor=owner, title="Other desk")
    services.timeline_update(timeline=other, actor=owner, slug="other-moved")
    for taken in ("other-moved", "other-desk"):
        with pytest.raises(ValidationError) as refused:
            services.timeline_update(timeline=timeline, actor=owner, slug=taken)
        assert "slug" in refused.value.message_dict
    # A timeline may take back its own old address.
    services.timeline_update(timeline=other, actor=owner, slug="other-desk")
    assert list(TimelineAddress.objects.filter(timeline=other).values_list("slug", flat=True)) == ["other-moved"]


def test_the_settings_page_shows_a_taken_address_next_to_the_field(timeline, owner, login):
    services.timeline_create(actor=owner, title="Taken")
    answer = login(owner).post(
        reverse("timeline-settings", args=[timeline.slug]), {"title": "Renamed", "slug": "taken", "description": ""}
    )
    assert answer.status_code == 422 and "id_slug_error" in answer.text
    assert Timeline.objects.get(pk=timeline.pk).title == "Sahel watch"


# -- transfer --


def test_transfer_makes_the_member_owner_and_the_owner_an_editor(timeline, owner, editor):
    to = Membership.objects.get(timeline=timeline, user=editor)
    services.timeline_transfer(timeline=timeline, actor=owner, to=to)
    roles = dict(Membership.objects.filter(timeline=timeline).values_list("user__username", "role"))
    assert roles[editor.username] == Role.OWNER and roles[owner.username] == Role.EDITOR
    actions = set(Membership.history.filter(timeline_id=timeline.pk).values_list("history_action", flat=True))
    assert Action.TRANSFERRED in actions
    with pytest.raises(PermissionDenied):  # no longer owner
        services.timeline_transfer(timeline=timeline, actor=owner, to=to)


def test_transfer_only_to_a_member_of_this_timeline(timeline, owner, outsider):
    elsewhere = services.timeline_create(actor=outsider, title="Elsewhere")
    theirs = Membership.objects.get(timeline=elsewhere, user=outsider)
    with pytest.raises(ValidationError):
        services.timeline_transfer(timeline=timeline, actor=owner, to=theirs)
    assert Membership.objects.get(timeline=timeline, user=owner).role == Role.OWNER


# -- archive --


def test_an_archived_timeline_refuses_every_write_until_unarchived(timeline, owner, editor, cited):
    entry, citation = cited
    services.timeline_archive(timeline=timeline, actor=owner)
    writes = [
        lambda: services.entry_create(actor=editor, timeline=timeline, start=datetime.date(2024, 1, 1), headline="X"),
        lambda: services.entry_update(entry=entry, actor=owner, expected_version=entry.version, headline="Y"),
        lambda: services.citation_update(citation=citation, actor=owner, stance=Stance.CONTEXT),
        lambda: services.citation_delete(citation=citation, actor=editor),
        lambda: services.timeline_update(timeline=timeline, actor=owner, title="Renamed"),
    ]
    for write in writes:
        with pytest.raises(Archived) as refused:
            write()
        assert str(refused.value) == ARCHIVED_MESSAGE
    assert Entry.objects.get(pk=entry.pk).headline == "Vote" and Citation.objects.filter(pk=citation.pk).exists()
    # Still shareable.
    services.timeline_share(timeline=timeline, actor=owner)
    services.timeline_archive(timeline=timeline, actor=owner, archived=False)
    services.citation_update(citation=citation, actor=owner, stance=Stance.CONTEXT)


def test_an_archived_timeline_hides_edit_controls_and_its_public_link_still_opens(
    timeline, owner, cited, login, client
):
    entry, _ = cited
    services.entry_set_status(entry=entry, actor=owner, status="published")
    shared = services.timeline_share(timeline=timeline, actor=owner)
    services.timeline_archive(timeline=timeline, actor=owner)
    page = login(owner).get(timeline.get_absolute_url()).text
    assert "Archived: this timeline is read-only." in page
    assert "Add an entry" not in page and ">Edit<" not in page and ">Remove<" not in page
    refused = login(owner).post(reverse("entry-edit", args=[timeline.slug, entry.pk]), {"headline": "Y"})
    assert refused.status_code == 403 and "archived" in refused.text
    client.logout()
    assert client.get(reverse("public-timeline", args=[shared.public_token])).status_code == 200


# -- delete, restore, purge --


def test_delete_needs_the_name_typed(timeline, owner, login):
    with pytest.raises(ValidationError) as refused:
        services.timeline_delete(timeline=timeline, actor=owner, typed_name="sahel watch")
    assert "typed_name" in refused.value.message_dict
    answer = login(owner).post(reverse("timeline-delete", args=[timeline.slug]), {"typed_name": "Sahel"})
    assert answer.status_code == 422 and "id_typed_name_error" in answer.text and "exactly" in answer.text
    assert Timeline.objects.filter(pk=timeline.pk).exists()


def test_a_deleted_timeline_is_hidden_everywhere_and_its_owner_restores_it(timeline, owner, cited, login, client):
    entry, _ = cited
    services.entry_set_status(entry=entry, actor=owner, status="published")
    shared = services.timeline_share(timeline=timeline, actor=owner)
    services.timeline_set_listed(timeline=timeline, actor=owner, listed=True)
    snapshot = services.snapshot_create(timeline=timeline, actor=owner)
    services.timeline_delete(timeline=timeline, actor=owner, typed_name="Sahel watch")
    for address in (
        reverse("public-timeline", args=[shared.public_token]),
        reverse("listed-timeline", args=[timeline.slug]),
        reverse("snapshot-timeline", args=[snapshot.token]),
    ):
        assert client.get(address).status_code == 404, address
    assert "Sahel watch" not in client.get(reverse("public-list")).text
    owner_client = login(owner)
    assert "Sahel watch" not in owner_client.get(reverse("dashboard")).text
    assert owner_client.get(timeline.get_absolute_url()).status_code == 404
    assert "Sahel watch" in owner_client.get(reverse("timelines-deleted")).text
    assert owner_client.post(reverse("timeline-restore", args=[timeline.pk])).status_code == 302
    assert owner_client.get(timeline.get_absolute_url()).status_code == 200
    actions = list(Timeline.history.filter(id=timeline.pk).values_list("history_action", flat=True))
    assert Action.DELETED in actions and Action.RESTORED in actions


def test_purge_removes_only_timelines_deleted_over_30_days_ago(timeline, owner, cited):
    recent = services.timeline_create(actor=owner, title="Recent")
    services.timeline_delete(timeline=timeline, actor=owner, typed_name="Sahel watch")
    services.timeline_delete(timeline=recent, actor=owner, typed_name="Recent")
    Timeline.everything.filter(pk=timeline.pk).update(deleted_at=timezone.now() - datetime.timedelta(days=31))
    with pytest.raises(ValidationError):  # too late to restore
        services.timeline_restore(timeline=timeline, actor=owner)
    call_command("purge_timelines")
    assert not Timeline.everything.filter(pk=timeline.pk).exists() and not Entry.objects.filter(pk=cited[0].pk)
    assert Timeline.everything.filter(pk=recent.pk).exists()


# -- citations changed in place --


def test_a_citation_changes_stance_span_and_note_in_place_with_history(timeline, owner, cited, login):
    entry, citation = cited
    changed = services.citation_update(
        citation=citation, actor=owner, stance=Stance.CONTRADICTS, quote="voted unanimously on Friday", note="Dated?"
    )
    assert changed.pk == citation.pk and changed.quote == "voted unanimously on Friday" and changed.note == "Dated?"
    row = Citation.history.filter(id=citation.pk).latest("history_id")
    assert row.history_action == Action.RECITED
    page = login(owner).get(reverse("entry-history", args=[timeline.slug, entry.pk])).text
    assert "supports → contradicts" in page and "quote changed" in page and "note written" in page


def test_a_changed_quote_must_be_in_the_passage(timeline, owner, cited, login):
    _, citation = cited
    answer = login(owner).post(
        reverse("citation-edit", args=[timeline.slug, citation.pk]),
        {"stance": "supports", "quote": "words not there", "note": ""},
    )
    assert answer.status_code == 422 and "id_quote_error" in answer.text
    assert Citation.objects.get(pk=citation.pk).quote == "voted unanimously"


def test_a_note_is_capped_and_shown_escaped_to_members(timeline, owner, cited, login):
    _, citation = cited
    client = login(owner)
    url = reverse("citation-edit", args=[timeline.slug, citation.pk])
    too_long = client.post(url, {"stance": "supports", "quote": "voted unanimously", "note": "x" * 501})
    assert too_long.status_code == 422 and Citation.objects.get(pk=citation.pk).note == ""
    client.post(url, {"stance": "supports", "quote": "voted unanimously", "note": "<b>contradicts itself</b>"})
    page = client.get(timeline.get_absolute_url()).text
    assert "&lt;b&gt;contradicts itself&lt;/b&gt;" in page and "<b>contradicts" not in page


def test_remove_asks_first_then_removes(timeline, owner, cited, login):
    _, citation = cited
    client = login(owner)
    url = reverse("citation-delete", args=[timeline.slug, citation.pk])
    asked = client.get(url)
    assert asked.status_code == 200 and "Remove this citation?" in asked.text
    assert Citation.objects.filter(pk=citation.pk).exists()
    inline = client.get(url, headers={"HX-Request": "true"})
    assert "<html" not in inline.text and "Remove citation" in inline.text
    client.post(url)
    assert not Citation.objects.filter(pk=citation.pk).exists()


@pytest.mark.parametrize("sent", [{}, {"archived": ""}, {"archived": "yes"}, {"archived": "0\x00"}])
def test_an_archive_button_without_0_or_1_is_refused_and_changes_nothing(login, owner, timeline, sent):
    response = login(owner).post(reverse("timeline-archive", args=[timeline.slug]), sent)
    assert response.status_code == 400 and "archived" in response.text
    assert Timeline.objects.get(pk=timeline.pk).archived_at is None
