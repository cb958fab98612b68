"""The foundation's promise: the demo timeline is there for its editor after `make run`."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import follow, login, screenshot


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEBUG = True
    call_command("load_seeds", verbosity=0)
    call_command("demo_accounts", verbosity=0)


def test_the_demo_editor_logs_in_and_sees_the_mali_timeline(demo, page):
    page.goto("/")
    assert "/accounts/login/" in page.url
    login(page, "editor", "factline-demo")
    follow(page.get_by_role("link", name="Mali and the end of MINUSMA"))
    assert page.get_by_role("heading", level=1).inner_text() == "Mali and the end of MINUSMA"
    assert page.locator(".entry").count() == 34 and page.locator(".marker.draft").count() == 2
    assert page.locator(".marker.disputed").count() == 4
    # A date the articles only imply says how it was worked out, folded beside it.
    vote = page.locator(
        ".entry", has=page.get_by_role("heading", name="Security Council votes unanimously to end MINUSMA")
    )
    expect(vote.locator(".entry-date")).to_have_text("c. 30 June 2023")
    vote.get_by_text("How the date was worked out").click()
    expect(vote.locator(".date-note p")).to_contain_text("two weeks after")
    screenshot(page, "demo-timeline")
    assert page.js_errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_the_editors_pages_fit_the_screen_of_a_phone_and_a_desktop(demo, new_page, width):
    from factline.models import Entry, Source

    entry, source = Entry.objects.filter(timeline__slug="mali").first(), Source.objects.first()
    page = new_page(width=width)
    login(page, "owner", "factline-demo")
    for path in (
        "/",
        "/t/mali/",
        "/t/mali/members/",
        "/sources/",
        f"/sources/{source.pk}/?entry={entry.pk}",
        f"/t/mali/entries/{entry.pk}/cite/?q=coup",
        f"/t/mali/entries/{entry.pk}/edit/",
        "/t/mali/share/",
    ):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    page.goto("/sources/")
    screenshot(page, f"sources-{width}")
    assert page.js_errors == []
