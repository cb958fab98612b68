"""Invitations by email: sent, listed, withdrawn, accepted once; every bad link refused and nothing changed."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from factline.models import Invitation, Membership
from factline.models.invitations import token_hash
from factline.models.timelines import Role
from factline.services import invitation_create, invitation_revoke
from tests.conftest import PASSWORD

LINK = re.compile(r"http://testserver/invitations/([A-Za-z0-9_-]+)/")


def invite(client, timeline, email="nadia@wire.example", role="viewer"):
    page = client.get(reverse("member-list", args=[timeline.slug])).text
    found = re.search(r'name="once" value="([^"]+)"', page.split("Invite by email")[-1])
    once = found.group(1) if "Invite by email" in page else "x"
    return client.post(reverse("invitation-create", args=[timeline.slug]), {"email": email, "role": role, "once": once})


def emailed_token() -> str:
    return LINK.search(mail.outbox[-1].body).group(1)


def sent_token() -> str:
    """The token of the last invitation sent by a service called with `link=str` (its link is the bare token)."""
    return mail.outbox[-1].body.split("\n\n")[1].splitlines()[-1].strip()


def state():
    users = list(get_user_model().objects.order_by("pk").values())
    return users, list(Membership.objects.order_by("pk").values()), list(Invitation.objects.order_by("pk").values())


def test_an_owner_invites_by_email_and_the_link_is_stored_only_as_a_hash(client, login, owner, timeline):
    login(owner)
    response = invite(client, timeline, "Nadia@Wire.example", "viewer")
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Nadia@wire.example"]
    token = emailed_token()
    assert len(token) >= 43  # 32 random bytes: 256 bits
    invitation = Invitation.objects.get()
    assert invitation.token_hash == token_hash(token) and token not in str(Invitation.objects.values().get())
    assert invitation.expires - invitation.created == datetime.timedelta(days=7)
    members = client.get(reverse("member-list", args=[timeline.slug])).text
    assert "Pending invitations" in members and "Nadia@wire.example" in members


def test_sending_the_invite_form_twice_makes_one_invitation_and_one_email(client, login, owner, timeline):
    login(owner)
    page = client.get(reverse("member-list", args=[timeline.slug]))
    once = re.search(r'name="once" value="([^"]+)"', page.text.split("Invite by email")[1]).group(1)
    data = {"email": "nadia@wire.example", "role": "editor", "once": once}
    for _ in range(2):
        assert client.post(reverse("invitation-create", args=[timeline.slug]), data).status_code == 302
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1


def test_a_bad_address_is_refused_next_to_its_field(client, login, owner, timeline):
    login(owner)
    response = invite(client, timeline, "not an address")
    assert response.status_code == 422 and "Enter a valid email address" in response.text
    response = invite(client, timeline, "edgar@newsroom.example")  # already a member
    assert response.status_code == 422 and "already a member" in response.text
    assert not Invitation.objects.exists() and not mail.outbox


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_editors_and_viewers_may_not_invite_or_withdraw(client, login, owner, timeline, who, request):
    invitation = invitation_create(timeline=timeline, actor=owner, email="n@wire.example", role="owner", link=str)
    login(request.getfixturevalue(who))
    assert invite(client, timeline).status_code == 403
    assert client.post(reverse("invitation-revoke", args=[timeline.slug, invitation.pk])).status_code == 403
    assert "n@wire.example" not in client.get(reverse("member-list", args=[timeline.slug])).text
    invitation.refresh_from_db()
    assert invitation.revoked is None and Invitation.objects.count() == 1


def test_a_new_person_creates_an_account_from_the_link_and_joins_with_the_role(client, owner, timeline):
    invitation_create(timeline=timeline, actor=owner, email="nadia@wire.example", role="viewer", link=str)
    token = sent_token()
    url = reverse("invitation-accept", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "nadia@wire.example" in page.text and "as <strong>viewer" in page.text
    data = {"username": "nadia", "display_name": "Nadia K.", "password1": PASSWORD, "password2": PASSWORD}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == timeline.get_absolute_url()
    nadia = get_user_model().objects.get(username="nadia")
    assert nadia.email == "nadia@wire.example" and nadia.first_name == "Nadia K."
    assert Membership.objects.get(timeline=timeline, user=nadia).role == Role.VIEWER
    row = Membership.history.filter(user_id=nadia.pk).get()
    assert row.history_user == nadia and "invited by olivia" in row.history_note
    assert client.get(timeline.get_absolute_url()).status_code == 200  # logged in


def test_someone_with_an_account_logs_in_and_joins(client, owner, outsider, timeline):
    invitation_create(timeline=timeline, actor=owner, email="oscar@elsewhere.example", role="editor", link=str)
    token = sent_token()
    url = reverse("invitation-accept", args=[token])
    assert f"{reverse('login')}?next=" in client.get(url).text
    client.login(username=outsider.username, password=PASSWORD)
    assert "Join as editor" in client.get(url).text
    assert client.post(url).status_code == 302
    assert Membership.objects.get(timeline=timeline, user=outsider).role == Role.EDITOR


def test_an_invitation_never_lowers_a_members_role(client, login, owner, editor, timeline):
    invitation_create(timeline=timeline, actor=owner, email="someone@else.example", role="viewer", link=str)
    token = sent_token()
    login(editor)
    assert client.post(reverse("invitation-accept", args=[token])).status_code == 302
    assert Membership.objects.get(timeline=timeline, user=editor).role == Role.EDITOR


def _used(owner, timeline, outsider):
    invitation_create(timeline=timeline, actor=owner, email="x@wire.example", role="editor", link=str)
    token = sent_token()
    from factline.services import invitation_accept

    invitation_accept(token=token, actor=outsider)
    return token


def _expired(owner, timeline, outsider):
    invitation = invitation_create(timeline=timeline, actor=owner, email="x@wire.example", role="editor", link=str)
    Invitation.objects.filter(pk=invitation.pk).update(expires=invitation.created - datetime.timedelta(seconds=1))
    return sent_token()


def _revoked(owner, timeline, outsider):
    invitation = invitation_create(timeline=timeline, actor=owner, email="x@wire.example", role="editor", link=str)
    invitation_revoke(invitation=invitation, actor=owner)
    return sent_token()


def _forged(owner, timeline, outsider):
    invitation_create(timeline=timeline, actor=owner, email="x@wire.example", role="editor", link=str)
    real = sent_token()
    return real[:-4] + ("AAAA" if not real.endswith("AAAA") else "BBBB")


BAD = {
    "expired": (_expired, 410, "expired"),
    "reused": (_used, 410, "already been used"),
    "revoked": (_revoked, 410, "withdrawn"),
    "forged": (_forged, 404, "not valid"),
}


@pytest.mark.parametrize("kind", BAD)
@pytest.mark.parametrize("logged_in", [False, True])
def test_bad_links_are_refused_with_a_clear_page_and_nothing_changes(
    client, owner, outsider, viewer, timeline, kind, logged_in
):
    make, status, words = BAD[kind]
    token = make(owner, timeline, outsider)
    if logged_in:
        client.login(username=viewer.username, password=PASSWORD)
    url = reverse("invitation-accept", args=[token])
    before = state()
    got = client.get(url)
    data = {"username": "mallory", "password1": PASSWORD, "password2": PASSWORD}
    posted = client.post(url, data)
    for response in (got, posted):
        assert response.status_code == status
        assert "This invitation cannot be used" in response.text and words in response.text
        assert "Nothing was changed" in response.text
    assert state() == before


@pytest.mark.parametrize("token", ["x", "A" * 43, "A" * 500, "%00", "a/b"])
def test_malformed_tokens_are_404_never_500(client, db, token):
    assert client.get(f"/invitations/{token}/").status_code == 404


def test_inviting_again_withdraws_the_earlier_link(client, owner, timeline):
    invitation_create(timeline=timeline, actor=owner, email="n@wire.example", role="editor", link=str)
    first = sent_token()
    invitation_create(timeline=timeline, actor=owner, email="N@wire.example", role="viewer", link=str)
    assert client.get(reverse("invitation-accept", args=[first])).status_code == 410
    assert Invitation.objects.pending().count() == 1


def test_the_dashboard_lists_invitations_to_a_proven_address_only(client, owner, outsider, timeline, make_user):
    from factline.services import invitation_accept, timeline_create

    # Oscar proves his address by accepting an invitation sent to it.
    other = timeline_create(actor=owner, title="Desk two")
    invitation_create(timeline=other, actor=owner, email=outsider.email, role="viewer", link=str)
    invitation_accept(token=sent_token(), actor=outsider)
    invitation = invitation_create(timeline=timeline, actor=owner, email=outsider.email, role="editor", link=str)
    # Mallory types Oscar's address into her profile: she sees nothing and may take nothing.
    mallory = make_user("mallory")
    mallory.email = outsider.email
    mallory.save()
    client.login(username="mallory", password=PASSWORD)
    assert "Invitations for you" not in client.get(reverse("dashboard")).text
    assert client.post(reverse("invitation-join", args=[invitation.pk])).status_code == 403
    client.login(username=outsider.username, password=PASSWORD)
    dashboard = client.get(reverse("dashboard")).text
    assert "Invitations for you" in dashboard and "Sahel watch" in dashboard
    assert client.post(reverse("invitation-join", args=[invitation.pk])).status_code == 302
    assert Membership.objects.get(timeline=timeline, user=outsider).role == Role.EDITOR
    assert "Invitations for you" not in client.get(reverse("dashboard")).text


def test_an_email_that_cannot_be_sent_saves_nothing(client, login, owner, timeline, settings):
    settings.EMAIL_BACKEND = "tests.test_invitations.BrokenBackend"
    login(owner)
    response = invite(client, timeline)
    assert response.status_code == 422 and "could not be sent" in response.text
    assert not Invitation.objects.exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")
