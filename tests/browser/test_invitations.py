"""Joining by invitation, withdrawing one, and resetting a forgotten password: all through the emails sent."""

import re

from django.contrib.auth import get_user_model
from django.core import mail

from factline.models import Membership
from factline.models.timelines import Role
from tests.browser.conftest import follow, login, screenshot
from tests.conftest import PASSWORD

LINK = re.compile(r"https?://[^/\s]+(/\S+)")


def emailed_path() -> str:
    """The address in the last email sent, as a path of the live server."""
    return LINK.search(mail.outbox[-1].body).group(1)


def invite(page, timeline, email: str, role: str) -> None:
    page.goto(f"/t/{timeline.slug}/members/")
    section = page.locator("section.invitations")
    section.get_by_label("Email address").fill(email)
    section.get_by_label("Role").select_option(label=role)
    follow(section.get_by_role("button", name="Send invitation"))
    assert f"Invitation sent to {email}" in page.locator("body").inner_text()


def test_an_invited_person_creates_an_account_and_lands_on_the_timeline_with_the_role(
    new_page, owner, timeline, transactional_db
):
    page = new_page()
    login(page, owner.username, PASSWORD)
    invite(page, timeline, "nadia@wire.example", "Viewer")
    pending = page.locator(".invitation-list")
    assert "nadia@wire.example" in pending.inner_text() and "viewer" in pending.inner_text()
    screenshot(page, "invitations-members-pending")
    assert mail.outbox[-1].to == ["nadia@wire.example"] and "Sahel watch" in mail.outbox[-1].subject

    guest = new_page()  # a fresh context: nobody logged in
    guest.goto(emailed_path())
    guest.get_by_role("heading", name="Join “Sahel watch”").wait_for()
    screenshot(guest, "invitations-accept-new-account")
    guest.get_by_label("Username").fill("nadia")
    guest.get_by_label("Display name").fill("Nadia Keïta")
    guest.get_by_label("Password", exact=True).fill("short")
    guest.get_by_label("Password again").fill("short")
    follow(guest.get_by_role("button", name="Create account and join"))
    assert "too short" in guest.locator(".field.has-error .error").first.inner_text()
    assert guest.get_by_label("Username").input_value() == "nadia"  # what was typed is kept
    guest.get_by_label("Password", exact=True).fill(PASSWORD)
    guest.get_by_label("Password again").fill(PASSWORD)
    follow(guest.get_by_role("button", name="Create account and join"))
    guest.get_by_role("heading", name="Sahel watch").wait_for()
    assert guest.url.endswith(timeline.get_absolute_url())
    assert "you are viewer" in guest.locator("body").inner_text()
    assert "Nadia Keïta" in guest.locator(".site-header").inner_text()
    nadia = get_user_model().objects.get(username="nadia")
    assert Membership.objects.get(timeline=timeline, user=nadia).role == Role.VIEWER
    assert guest.js_errors == [] and page.js_errors == []

    page.reload()
    assert "nadia@wire.example" not in page.locator("body").inner_text()  # no longer pending
    assert "Nadia Keïta" in page.locator("table.members").inner_text()


def test_a_withdrawn_invitation_link_is_refused(new_page, owner, timeline, transactional_db):
    page = new_page()
    login(page, owner.username, PASSWORD)
    invite(page, timeline, "leaver@wire.example", "Editor")
    link = emailed_path()
    page.on("dialog", lambda dialog: dialog.accept())
    follow(page.locator(".invitation-list").get_by_role("button", name="Withdraw"))
    assert "Withdrew the invitation to leaver@wire.example" in page.locator("body").inner_text()

    guest = new_page()
    answer = guest.goto(link)
    assert answer.status == 410
    guest.get_by_role("heading", name="This invitation cannot be used").wait_for()
    assert "withdrawn by an owner" in guest.locator("main").inner_text()
    assert guest.get_by_role("button", name="Create account and join").count() == 0
    screenshot(guest, "invitations-refused")
    assert not get_user_model().objects.filter(email="leaver@wire.example").exists()


def test_a_person_resets_a_forgotten_password_by_email(new_page, owner, transactional_db):
    page = new_page()
    page.goto("/accounts/login/")
    follow(page.get_by_role("link", name="Forgotten your password?"))
    page.get_by_label("Email").fill(owner.email)
    screenshot(page, "password-reset-form")
    follow(page.get_by_role("button", name="Send the link"))
    page.get_by_role("heading", name="Check your email").wait_for()
    assert mail.outbox[-1].to == [owner.email]

    fresh = new_page()
    fresh.goto(emailed_path())
    fresh.get_by_role("heading", name="Choose a new password").wait_for()
    new = "a brand new long passphrase"
    fresh.get_by_label("New password", exact=True).fill(new)
    fresh.get_by_label("New password confirmation").fill(new)
    screenshot(fresh, "password-reset-confirm")
    follow(fresh.get_by_role("button", name="Set password"))
    fresh.get_by_role("heading", name="Password set").wait_for()
    login(fresh, owner.username, new)
    fresh.get_by_role("heading", name="Your timelines").wait_for()
    assert fresh.js_errors == [] and page.js_errors == []


def test_the_profile_page_sets_a_display_name(page, owner, transactional_db):
    login(page, owner.username, PASSWORD)
    follow(page.locator(".site-header").get_by_role("link", name=owner.username))
    page.get_by_label("Display name").fill("Olivia Ruiz")
    page.get_by_label("Email address").fill("olivia@desk")  # the browser lets it through; the server does not
    follow(page.get_by_role("button", name="Save profile"))
    assert "valid email" in page.locator(".field.has-error .error").inner_text()
    assert page.get_by_label("Display name").input_value() == "Olivia Ruiz"
    page.get_by_label("Email address").fill("olivia@desk.example")
    follow(page.get_by_role("button", name="Save profile"))
    assert "Olivia Ruiz" in page.locator(".site-header").inner_text()
    screenshot(page, "profile")
    owner.refresh_from_db()
    assert owner.first_name == "Olivia Ruiz" and owner.email == "olivia@desk.example"
