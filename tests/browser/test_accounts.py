"""Logging in (and failing to), changing one's password, logging out."""

from django.contrib.auth import get_user_model

from tests.browser.conftest import follow, login
from tests.conftest import PASSWORD


def test_a_person_logs_in_changes_their_password_and_logs_out(page, transactional_db):
    user = get_user_model().objects.create_user(username="jane", password=PASSWORD)
    login(page, "jane", "wrong password")
    assert "Please enter a correct username and password" in page.locator(".form-errors").inner_text()
    assert page.get_by_label("Username").input_value() == "jane"

    login(page, "jane", PASSWORD)
    page.get_by_role("heading", name="Your timelines").wait_for()
    follow(page.get_by_role("link", name="Password"))
    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label("New password", exact=False).first.fill("a much longer new passphrase")
    page.get_by_label("New password confirmation").fill("a different passphrase")
    follow(page.get_by_role("button", name="Change password"))
    assert "didn’t match" in page.locator(".field.has-error .error").inner_text()

    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label("New password", exact=False).first.fill("a much longer new passphrase")
    page.get_by_label("New password confirmation").fill("a much longer new passphrase")
    page.get_by_role("button", name="Change password").click()
    page.get_by_role("heading", name="Password changed").wait_for()
    user.refresh_from_db()
    assert user.check_password("a much longer new passphrase")

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("heading", name="Log in").wait_for()
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert page.js_errors == []
