"""Accounts: sign-up only when turned on, the profile and its display name, password reset, login throttling."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from factline.models.timelines import Role
from factline.people import display_name
from factline.services import entry_create, membership_set, profile_update
from tests.conftest import PASSWORD


def test_sign_up_is_off_by_default(client, db, settings):
    assert settings.FACTLINE_OPEN_SIGNUP is False
    assert client.get(reverse("signup")).status_code == 404
    data = {"username": "nadia", "email": "n@x.example", "password1": PASSWORD, "password2": PASSWORD}
    assert client.post(reverse("signup"), data).status_code == 404
    assert not get_user_model().objects.filter(username="nadia").exists()
    assert "Create an account" not in client.get(reverse("login")).text


def test_sign_up_when_turned_on(client, db, settings):
    settings.FACTLINE_OPEN_SIGNUP = True
    assert "Create an account" in client.get(reverse("login")).text
    data = {"username": "nadia", "email": "n@x.example", "password1": "short", "password2": "short"}
    refused = client.post(reverse("signup"), data)
    assert refused.status_code == 422 and "too short" in refused.text
    data.update(password1=PASSWORD, password2=PASSWORD)
    assert client.post(reverse("signup"), data).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    data["email"] = "other@x.example"
    client.logout()
    taken = client.post(reverse("signup"), {**data, "username": "NADIA"})
    assert taken.status_code == 422 and "taken" in taken.text


def test_the_profile_sets_the_display_name_shown_in_history_and_activity(client, login, owner, timeline):
    login(owner)
    response = client.post(reverse("profile"), {"display_name": "Olivia Ruiz", "email": "olivia@desk.example"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.first_name == "Olivia Ruiz" and owner.email == "olivia@desk.example"
    entry = entry_create(actor=owner, timeline=timeline, start=datetime.date(2020, 1, 1), headline="Named")
    history = client.get(reverse("entry-history", args=[timeline.slug, entry.pk])).text
    activity = client.get(reverse("timeline-activity", args=[timeline.slug])).text
    for page in (history, activity):
        assert '<span class="revision-who">Olivia Ruiz</span>' in page
    assert "Olivia Ruiz" in client.get(reverse("dashboard")).text  # the header


def test_a_bad_email_on_the_profile_is_refused_next_to_its_field(client, login, owner):
    login(owner)
    response = client.post(reverse("profile"), {"display_name": "x" * 151, "email": "nope"})
    assert response.status_code == 422 and "valid email" in response.text and "at most 150" in response.text
    owner.refresh_from_db()
    assert owner.first_name == "" and owner.email == "olivia@newsroom.example"


def test_display_name_falls_back_to_the_username(make_user):
    user = make_user("plain")
    assert display_name(user) == "plain" and display_name(None, "system") == "system"
    profile_update(actor=user, display_name="  Pat Lain ", email="")
    user.refresh_from_db()
    assert display_name(user) == "Pat Lain"


def test_activity_names_people_in_a_bounded_number_of_queries(
    client, login, owner, timeline, make_user, django_assert_max_num_queries
):
    login(owner)
    url = reverse("timeline-activity", args=[timeline.slug])
    for n in range(3):
        person = make_user(f"p{n}", first_name=f"Person {n}")
        membership_set(timeline=timeline, actor=owner, username=person.username, role=Role.EDITOR)
        entry_create(actor=person, timeline=timeline, start=datetime.date(2020, 1, 1), headline=f"E{n}")
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for n in range(3, 15):
        person = make_user(f"p{n}", first_name=f"Person {n}")
        membership_set(timeline=timeline, actor=owner, username=person.username, role=Role.EDITOR)
        entry_create(actor=person, timeline=timeline, start=datetime.date(2020, 1, 1), headline=f"E{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).text
    assert "Person 14" in page


def test_password_reset_by_email(client, owner):
    response = client.post(reverse("password_reset"), {"email": owner.email})
    assert response.status_code == 302 and len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.text
    new = "a fresh long passphrase"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True)
    assert "Password set" in done.text
    owner.refresh_from_db()
    assert owner.check_password(new)
    assert "no longer works" in client.get(link, follow=True).text


LOGIN = {"username": "olivia", "password": "wrong"}


def attempt(client, password="wrong", address="203.0.113.5", username="olivia"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_that_username_from_that_address_for_fifteen_minutes(client, owner):
    for _ in range(4):
        assert attempt(client).status_code == 200
    locked = attempt(client)  # the fifth failure
    assert locked.status_code == 429 and "locked for 15 minutes" in locked.text
    # Even the right password is refused now, from that address, with the same clear message.
    refused = attempt(client, PASSWORD)
    assert refused.status_code == 429 and "locked for 15 minutes" in refused.text
    assert "_auth_user_id" not in client.session
    # The same person from another address, and another username from this one, may still log in.
    assert attempt(client, PASSWORD, address="198.51.100.7").status_code == 302
    client.logout()
    # Fifteen minutes later the lock is gone.
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - datetime.timedelta(minutes=16))
    assert attempt(client, PASSWORD).status_code == 302


def test_four_failures_then_success_reset_the_count(client, owner, editor):
    for _ in range(4):
        attempt(client)
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client).status_code == 200
    assert attempt(client, username=editor.username).status_code == 200  # another username: its own count


@pytest.mark.parametrize("name", ["signup", "profile", "password_reset"])
def test_account_pages_answer(client, login, owner, name, settings):
    settings.FACTLINE_OPEN_SIGNUP = True
    if name == "profile":
        login(owner)
    assert client.get(reverse(name)).status_code == 200


def test_a_display_name_with_bidi_or_control_characters_is_refused(client, login, owner):
    login(owner)
    for name in ("evil\u202etxt.exe", "two\nlines"):
        response = client.post(reverse("profile"), {"display_name": name, "email": owner.email})
        assert response.status_code == 422 and "invisible control character" in response.text
    owner.refresh_from_db()
    assert owner.first_name == ""
