"""The sharing services: public links, listing and snapshots, owner-only and recorded in the history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from factline.models import Snapshot, Timeline
from factline.models.timelines import Status
from factline.services import (
    citation_create,
    entry_create,
    entry_set_status,
    snapshot_create,
    snapshot_revoke,
    timeline_revoke,
    timeline_set_listed,
    timeline_share,
)


@pytest.fixture
def published(timeline, owner, passage):
    entry = entry_create(actor=owner, timeline=timeline, start=datetime.date(2023, 6, 30), headline="The vote")
    citation_create(actor=owner, entry=entry, passage=passage, quote="voted unanimously")
    return entry_set_status(entry=entry, actor=owner, status=Status.PUBLISHED)


def test_the_owner_turns_the_link_on_with_an_unguessable_token_recorded_in_history(timeline, owner):
    shared = timeline_share(timeline=timeline, actor=owner)
    # token_urlsafe(32): 32 random bytes are 43 URL-safe characters, 256 bits.
    assert len(shared.public_token) >= 43
    record = shared.history.first()
    assert (record.history_user, record.history_action, record.history_note, record.public_token) == (
        owner,
        "link_on",
        "Turned the public link on",
        shared.public_token,
    )


def test_a_new_link_replaces_the_old_one(timeline, owner):
    first = timeline_share(timeline=timeline, actor=owner).public_token
    second = timeline_share(timeline=timeline, actor=owner).public_token
    assert first != second
    assert Timeline.objects.get(pk=timeline.pk).public_token == second
    assert timeline.history.first().history_note == "Made a new public link"


def test_revoking_clears_the_token_and_says_why(timeline, owner):
    timeline_share(timeline=timeline, actor=owner)
    timeline_revoke(timeline=timeline, actor=owner, reason="Story retracted")
    assert Timeline.objects.get(pk=timeline.pk).public_token is None
    assert timeline.history.first().history_change_reason == "Story retracted"


def test_revoking_a_link_that_is_off_records_nothing(timeline, owner):
    before = timeline.history.count()
    timeline_revoke(timeline=timeline, actor=owner)
    assert timeline.history.count() == before


def test_listing_is_recorded_and_can_be_undone(timeline, owner):
    timeline_set_listed(timeline=timeline, actor=owner, listed=True)
    assert Timeline.objects.get(pk=timeline.pk).listed
    timeline_set_listed(timeline=timeline, actor=owner, listed=False)
    notes = list(timeline.history.values_list("history_action", "history_note")[:2])
    assert notes == [("unlisted", "No longer listed publicly"), ("listed", "Listed publicly")]


def test_only_the_owner_shares(timeline, editor, viewer, outsider, published):
    for person in (editor, viewer, outsider):
        with pytest.raises(PermissionDenied):
            timeline_share(timeline=timeline, actor=person)
        with pytest.raises(PermissionDenied):
            timeline_set_listed(timeline=timeline, actor=person, listed=True)
        with pytest.raises(PermissionDenied):
            snapshot_create(timeline=timeline, actor=person)
    snapshot = snapshot_create(timeline=timeline, actor=timeline.memberships.get(role="owner").user)
    with pytest.raises(PermissionDenied):
        snapshot_revoke(snapshot=snapshot, actor=editor)
    assert Timeline.objects.get(pk=timeline.pk).public_token is None


def test_a_snapshot_freezes_a_moment_with_its_own_token(timeline, owner, published):
    snapshot = snapshot_create(timeline=timeline, actor=owner)
    assert len(snapshot.token) >= 43 and snapshot.token != timeline.public_token
    assert snapshot.as_of <= timezone.now()
    record = snapshot.history.get()
    assert record.history_user == owner and record.history_action == "snapshot_shared"
    assert record.history_note.startswith("Shared a snapshot as of") and record.history_change_reason is None


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (lambda t: timezone.now() + datetime.timedelta(hours=1), "Choose a moment that has passed"),
        (lambda t: t.created - datetime.timedelta(days=1), "The timeline did not exist yet"),
    ],
)
def test_a_snapshot_of_the_future_or_before_the_timeline_is_refused(timeline, owner, published, moment, message):
    with pytest.raises(ValidationError) as refused:
        snapshot_create(timeline=timeline, actor=owner, as_of=moment(timeline))
    assert message in refused.value.message_dict["as_of"][0]
    assert not Snapshot.objects.exists()


def test_a_snapshot_of_a_moment_with_nothing_published_is_refused(timeline, owner):
    with pytest.raises(ValidationError) as refused:
        snapshot_create(timeline=timeline, actor=owner)
    assert refused.value.message_dict["as_of"] == ["Nothing was published on this timeline at that moment."]


def test_withdrawing_a_snapshot_deletes_it_and_history_keeps_it(timeline, owner, published):
    snapshot = snapshot_create(timeline=timeline, actor=owner)
    pk = snapshot.pk
    snapshot_revoke(snapshot=snapshot, actor=owner)
    assert not Snapshot.objects.exists()
    assert Snapshot.history.filter(id=pk, history_type="-").get().history_note == "Withdrew a snapshot"
