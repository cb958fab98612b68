"""The Django admin keeps the model rules: what they refuse, it refuses with a message, never a server error."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.messages import get_messages
from django.urls import reverse

from factline.models import Citation, Entry, Membership, Passage, Snapshot, Source, Timeline
from factline.models.changes import Action
from factline.models.timelines import Stance, Status
from factline.services import citation_create, entry_create, entry_set_status, snapshot_create

TRACKED = (Timeline, Membership, Entry, Citation, Source, Passage, Snapshot)
LAST_SUPPORT = "only support of a published entry"


@pytest.fixture
def published(timeline, owner, passage) -> Entry:
    entry = entry_create(actor=owner, timeline=timeline, start=datetime.date(2023, 6, 30), headline="The vote")
    citation_create(actor=owner, entry=entry, passage=passage, quote="voted unanimously")
    return entry_set_status(entry=entry, actor=owner, status=Status.PUBLISHED)


@pytest.fixture
def support(published) -> Citation:
    return published.citations.get()


def history_rows() -> int:
    return sum(model.history.count() for model in TRACKED)


def said(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def page_data(client, url: str, **changes) -> dict[str, object]:
    """What the admin change page at `url` would post as it stands, its inlines included, with `changes`."""
    context = client.get(url).context
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is not None and value is not False:
                data[form.add_prefix(name)] = field.prepare_value(value) if hasattr(field, "prepare_value") else value
    return data | changes


def test_deleting_a_published_entrys_only_support_is_refused_with_a_message(admin_client, support):
    before = history_rows()
    url = reverse("admin:factline_citation_delete", args=[support.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:factline_citation_change", args=[support.pk])
    assert LAST_SUPPORT in said(response)
    assert Citation.objects.filter(pk=support.pk).exists() and history_rows() == before
    assert not LogEntry.objects.filter(action_flag=DELETION).exists()


def test_a_citation_that_is_not_the_last_support_is_deleted_through_the_admin(admin_client, owner, published, support):
    second = citation_create(actor=owner, entry=published, passage=support.passage, quote="on Friday")
    response = admin_client.post(reverse("admin:factline_citation_delete", args=[support.pk]), {"post": "yes"})
    assert response.status_code == 302 and "deleted successfully" in said(response)
    assert list(published.citations.all()) == [second]


def test_the_bulk_delete_action_refuses_to_take_a_published_entrys_last_support(admin_client, owner, support):
    draft = entry_create(actor=owner, timeline=support.entry.timeline, start=datetime.date(2013, 1, 1), headline="D")
    other = citation_create(actor=owner, entry=draft, passage=support.passage, quote="on Friday")
    before = history_rows()
    chosen = {"action": "delete_selected", "_selected_action": [other.pk, support.pk], "post": "yes"}
    response = admin_client.post(reverse("admin:factline_citation_changelist"), chosen)
    assert response.status_code == 302
    assert LAST_SUPPORT in said(response)
    # All or nothing: the draft's citation, deletable on its own, stays with the refused one.
    assert set(Citation.objects.values_list("pk", flat=True)) == {other.pk, support.pk}
    assert history_rows() == before and not LogEntry.objects.filter(action_flag=DELETION).exists()


def test_the_bulk_delete_action_deletes_citations_the_rules_allow(admin_client, owner, support):
    draft = entry_create(actor=owner, timeline=support.entry.timeline, start=datetime.date(2013, 1, 1), headline="D")
    other = citation_create(actor=owner, entry=draft, passage=support.passage, quote="on Friday")
    chosen = {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"}
    response = admin_client.post(reverse("admin:factline_citation_changelist"), chosen)
    assert response.status_code == 302 and "Successfully deleted 1 citation" in said(response)
    assert list(Citation.objects.all()) == [support]
    assert Citation.history.filter(id=other.pk, history_type="-").exists()


def test_removing_the_only_support_inline_from_a_published_entry_is_a_form_error(admin_client, published, support):
    before = history_rows()
    url = reverse("admin:factline_entry_change", args=[published.pk])
    response = admin_client.post(url, page_data(admin_client, url, **{"citations-0-DELETE": "on"}))
    assert response.status_code == 200
    assert LAST_SUPPORT in response.text
    assert Citation.objects.filter(pk=support.pk).exists() and history_rows() == before


def test_unpublishing_and_removing_the_only_support_in_one_save_is_allowed(admin_client, published, support):
    url = reverse("admin:factline_entry_change", args=[published.pk])
    data = page_data(admin_client, url, status=Status.DRAFT, **{"citations-0-DELETE": "on"})
    response = admin_client.post(url, data)
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == Status.DRAFT and not published.citations.exists()


def test_changing_the_only_supports_stance_in_the_admin_is_a_form_error(admin_client, support):
    url = reverse("admin:factline_citation_change", args=[support.pk])
    response = admin_client.post(url, page_data(admin_client, url, stance=Stance.CONTEXT))
    assert response.status_code == 200 and LAST_SUPPORT in response.text
    support.refresh_from_db()
    assert support.stance == Stance.SUPPORTS


def test_a_citation_cannot_be_moved_off_its_entry_in_the_admin(admin_client, owner, support):
    entry_id = support.entry_id
    draft = entry_create(actor=owner, timeline=support.entry.timeline, start=datetime.date(2013, 1, 1), headline="D")
    url = reverse("admin:factline_citation_change", args=[support.pk])
    response = admin_client.post(url, page_data(admin_client, url, entry=draft.pk))
    assert response.status_code in (200, 302)
    support.refresh_from_db()
    assert support.entry_id == entry_id


def test_a_citation_added_without_a_passage_is_a_form_error(admin_client, published):
    response = admin_client.post(
        reverse("admin:factline_citation_add"), {"entry": published.pk, "stance": Stance.SUPPORTS, "quote": "x"}
    )
    assert response.status_code == 200 and not Citation.objects.exclude(entry=published).exists()


def test_every_admin_page_of_every_tracked_model_opens(admin_client, owner, support):
    snapshot_create(timeline=support.entry.timeline, actor=owner)
    assert set(TRACKED) <= set(admin.site._registry)
    for model in TRACKED:
        obj = model.objects.order_by("pk").first()
        info = model._meta.app_label, model._meta.model_name
        for page, args in (("changelist", []), ("add", []), ("change", [obj.pk]), ("delete", [obj.pk])):
            url = reverse(f"admin:{info[0]}_{info[1]}_{page}", args=args)
            # A snapshot's token is made only by sharing it.
            expected = 403 if (model, page) == (Snapshot, "add") else 200
            assert admin_client.get(url).status_code == expected, url
        assert admin_client.get(reverse(f"admin:{info[0]}_{info[1]}_history", args=[obj.pk])).status_code == 200


# -- memberships: the admin keeps the services' rule that a timeline always has an owner --

LAST_OWNER = "A timeline needs at least one owner."


def owner_of(timeline) -> Membership:
    return timeline.memberships.get(role="owner")


def test_the_admin_cannot_demote_a_timelines_last_owner(admin_client, timeline):
    membership = owner_of(timeline)
    url = reverse("admin:factline_membership_change", args=[membership.pk])
    before = history_rows()
    response = admin_client.post(url, page_data(admin_client, url, role="editor"))
    assert response.status_code == 302 and LAST_OWNER in said(response)
    membership.refresh_from_db()
    assert membership.role == "owner" and history_rows() == before


def test_the_admin_cannot_delete_a_timelines_last_owner(admin_client, timeline):
    membership = owner_of(timeline)
    before = history_rows()
    response = admin_client.post(reverse("admin:factline_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert response.status_code == 302 and LAST_OWNER in said(response)
    assert Membership.objects.filter(pk=membership.pk).exists() and history_rows() == before
    chosen = {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"}
    response = admin_client.post(reverse("admin:factline_membership_changelist"), chosen)
    assert LAST_OWNER in said(response)
    assert Membership.objects.filter(pk=membership.pk).exists() and history_rows() == before


@pytest.mark.parametrize("change", ["DELETE", "role"])
def test_the_timeline_page_of_the_admin_cannot_remove_or_demote_the_last_owner(admin_client, timeline, change):
    membership = owner_of(timeline)
    url = reverse("admin:factline_timeline_change", args=[timeline.pk])
    data = page_data(admin_client, url)
    row = next(key.rsplit("-", 1)[0] for key, value in data.items() if key.endswith("-id") and value == membership.pk)
    data |= {f"{row}-DELETE": "on"} if change == "DELETE" else {f"{row}-role": "viewer"}
    before = history_rows()
    response = admin_client.post(url, data)
    assert response.status_code == 302 and LAST_OWNER in said(response)
    membership.refresh_from_db()
    assert membership.role == "owner" and history_rows() == before


def test_a_role_given_in_the_admin_is_one_change_in_the_history_by_the_admin(admin_client, admin_user, timeline):
    membership = timeline.memberships.get(role="editor")
    url = reverse("admin:factline_membership_change", args=[membership.pk])
    response = admin_client.post(url, page_data(admin_client, url, role="owner"))
    assert response.status_code == 302
    row = Membership.history.filter(id=membership.pk).latest("history_id")
    assert (row.role, row.history_action, row.history_user) == ("owner", Action.MEMBER_SET, admin_user)
    assert row.history_change is not None
    # Now two owners: the first may go, through the same service.
    first = timeline.memberships.exclude(pk=membership.pk).get(role="owner")
    assert (
        admin_client.post(reverse("admin:factline_membership_delete", args=[first.pk]), {"post": "yes"}).status_code
        == 302
    )
    gone = Membership.history.filter(id=first.pk).latest("history_id")
    assert (gone.history_type, gone.history_action, gone.history_user) == ("-", Action.MEMBER_REMOVED, admin_user)


def test_an_entry_saved_in_the_admin_is_recorded_as_one_change_with_its_citations(admin_client, admin_user, published):
    url = reverse("admin:factline_entry_change", args=[published.pk])
    response = admin_client.post(url, page_data(admin_client, url, headline="Renamed in the admin"))
    assert response.status_code == 302
    row = Entry.history.filter(id=published.pk).latest("history_id")
    assert (row.headline, row.history_action, row.history_user) == ("Renamed in the admin", Action.EDITED, admin_user)
    assert row.history_note == "Changed in the admin" and row.history_change is not None
