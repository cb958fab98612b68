from django.urls import reverse

from factline.models import Membership
from factline.models.timelines import Role
from tests.conftest import PASSWORD


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def test_the_owner_adds_a_person_by_username_as_viewer(client, owner, outsider, timeline):
    response = login(client, owner).post(
        reverse("member-list", args=[timeline.slug]), {"username": "oscar", "role": "viewer"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(timeline=timeline, user=outsider).role == Role.VIEWER
    assert Membership.history.filter(user_id=outsider.pk).first().history_user == owner


def test_an_unknown_username_is_shown_next_to_the_field(client, owner, timeline):
    response = login(client, owner).post(
        reverse("member-list", args=[timeline.slug]), {"username": "nobody", "role": "editor"}
    )
    assert response.status_code == 422
    assert "There is no one with the username “nobody”." in response.text
    assert 'value="nobody"' in response.text


def test_adding_someone_already_a_member_is_refused_and_leaves_their_role(client, owner, editor, timeline):
    response = login(client, owner).post(
        reverse("member-list", args=[timeline.slug]), {"username": editor.username, "role": "viewer"}
    )
    assert response.status_code == 422
    assert f"{editor.username} is already a member, as editor; change their role in the list above." in response.text
    assert Membership.objects.get(timeline=timeline, user=editor).role == Role.EDITOR


def test_the_owner_changes_a_role_and_removes_a_member(client, owner, editor, timeline):
    membership = Membership.objects.get(timeline=timeline, user=editor)
    client = login(client, owner)
    client.post(reverse("member-update", args=[timeline.slug, membership.pk]), {"role": "viewer"})
    assert Membership.objects.get(pk=membership.pk).role == Role.VIEWER
    client.post(reverse("member-update", args=[timeline.slug, membership.pk]), {"remove": "1", "role": "viewer"})
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_owner_cannot_leave(client, owner, timeline):
    membership = Membership.objects.get(timeline=timeline, user=owner)
    response = login(client, owner).post(
        reverse("member-update", args=[timeline.slug, membership.pk]), {"remove": "1", "role": "owner"}, follow=True
    )
    assert "A timeline needs at least one owner." in response.text
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_editors_see_the_members_but_cannot_manage_them(client, editor, outsider, timeline):
    client = login(client, editor)
    page = client.get(reverse("member-list", args=[timeline.slug]))
    assert "olivia" in page.text and "Add a person" not in page.text
    assert "@newsroom.example" not in page.text
    response = client.post(reverse("member-list", args=[timeline.slug]), {"username": "oscar", "role": "owner"})
    assert response.status_code == 403
    assert not Membership.objects.filter(user=outsider).exists()
