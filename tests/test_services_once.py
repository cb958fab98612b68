"""One-time form tokens: the first sending makes, a repeat answers with it, a refusal leaves the token unused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from factline.models import Entry, FormToken
from factline.services import create_once, entry_create


def add(timeline, editor, headline="The vote"):
    return lambda: entry_create(actor=editor, timeline=timeline, start=datetime.date(2023, 6, 30), headline=headline)


def test_a_repeated_token_answers_with_what_the_first_sending_made(timeline, editor):
    first = create_once(actor=editor, token="t1", kind="entry-create", model=Entry, create=add(timeline, editor))
    again = create_once(actor=editor, token="t1", kind="entry-create", model=Entry, create=add(timeline, editor))
    assert (first.repeat, again.repeat) == (False, True)
    assert again.object == first.object and Entry.objects.count() == 1


def test_the_same_token_from_another_person_or_form_is_not_theirs(timeline, editor, owner):
    first = create_once(actor=editor, token="t1", kind="entry-create", model=Entry, create=add(timeline, editor))
    theirs = create_once(actor=owner, token="t1", kind="entry-create", model=Entry, create=add(timeline, owner))
    assert not theirs.repeat and theirs.object != first.object
    other_form = create_once(actor=editor, token="t1", kind="member-add", model=Entry, create=add(timeline, editor))
    assert other_form.repeat and other_form.object is None


def test_a_refused_sending_leaves_the_token_for_the_corrected_one(timeline, editor):
    with pytest.raises(ValidationError):
        create_once(actor=editor, token="t1", kind="entry-create", model=Entry, create=add(timeline, editor, "x" * 301))
    assert not FormToken.objects.exists()
    sent = create_once(actor=editor, token="t1", kind="entry-create", model=Entry, create=add(timeline, editor))
    assert not sent.repeat and Entry.objects.count() == 1


def test_a_form_without_a_token_simply_creates(timeline, editor):
    for _ in range(2):
        create_once(actor=editor, token="", kind="entry-create", model=Entry, create=add(timeline, editor))
    assert Entry.objects.count() == 2 and not FormToken.objects.exists()


def test_tokens_older_than_a_day_go_when_their_owner_sends_a_new_one(timeline, editor, owner):
    create_once(actor=editor, token="old", kind="entry-create", model=Entry, create=add(timeline, editor))
    create_once(actor=owner, token="theirs", kind="entry-create", model=Entry, create=add(timeline, owner))
    FormToken.objects.update(created=timezone.now() - datetime.timedelta(days=1, minutes=1))
    create_once(actor=editor, token="new", kind="entry-create", model=Entry, create=add(timeline, editor))
    assert set(FormToken.objects.values_list("token", flat=True)) == {"new", "theirs"}
