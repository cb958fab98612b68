"""The editor by keyboard alone: after every htmx swap focus lands where the work goes on.

Only the keyboard drives these tests (Tab, Shift+Tab, Enter, Escape, typing); no click, no `fill`.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model

from factline.models import Entry
from factline.models.timelines import Status
from factline.services import entry_create, entry_create_citing, source_import, timeline_create
from tests.browser.conftest import login, screenshot
from tests.conftest import ARTICLE, PASSWORD

QUOTE = "The Security Council voted unanimously on Friday to end the mission."


@pytest.fixture
def entries(transactional_db) -> tuple[Entry, Entry]:
    """Jane's timeline: a cited draft, and an uncited one after it."""
    jane = get_user_model().objects.create_user(username="jane", password=PASSWORD)
    timeline = timeline_create(actor=jane, title="Keyboard year")
    passage = source_import(data=ARTICLE.encode(), origin="vote.txt", publisher="Test Wire").passages.get(number=2)
    cited = entry_create_citing(
        actor=jane, timeline=timeline, passage=passage, quote=QUOTE, start=datetime.date(2023, 6, 30), headline="Vote"
    )
    bare = entry_create(actor=jane, timeline=timeline, start=datetime.date(2023, 12, 31), headline="Mission ends")
    return cited, bare


def tab_to(page, selector: str, *, back: bool = False, limit: int = 60) -> None:
    """Press Tab (or Shift+Tab) until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def focus_lands_on(page, selector: str) -> None:
    """Wait (the htmx answer comes back, then settles) until focus is on the element matching `selector`."""
    page.wait_for_function("s => document.activeElement && document.activeElement.matches(s)", arg=selector)


def test_focus_follows_every_swap_of_an_entry_and_escape_closes_its_form(entries, page, axe):
    cited, bare = entries
    edit = f"#entry-{cited.pk} .entry-actions a[href$='/edit/']"
    login(page, "jane", PASSWORD)
    page.goto(cited.timeline.get_absolute_url())

    # Opening the edit form focuses its first field; Enter in a field saves, and focus is back on Edit.
    tab_to(page, edit)
    page.keyboard.press("Enter")
    focus_lands_on(page, f"#entry-{cited.pk} form.entry-form input[name=date]")
    tab_to(page, f"#entry-{cited.pk} input[name=headline]")
    page.keyboard.press("End")
    page.keyboard.type(" to end MINUSMA")
    page.keyboard.press("Enter")
    focus_lands_on(page, edit)
    assert page.locator(f"#entry-{cited.pk} .entry-headline").inner_text() == "Vote to end MINUSMA"

    # Escape closes the form as Cancel does, and so does Cancel itself: focus back on Edit each time.
    page.keyboard.press("Enter")
    focus_lands_on(page, f"#entry-{cited.pk} input[name=date]")
    page.keyboard.press("Escape")
    focus_lands_on(page, edit)
    assert page.locator(f"#entry-{cited.pk} form.entry-form").count() == 0
    page.keyboard.press("Enter")
    focus_lands_on(page, f"#entry-{cited.pk} input[name=date]")
    tab_to(page, f"#entry-{cited.pk} a[data-cancel]")
    page.keyboard.press("Enter")
    focus_lands_on(page, edit)

    # Publish, then Unpublish: focus stays with the entry.
    tab_to(page, f"#entry-{cited.pk} form[action$='/status/'] button")
    page.keyboard.press("Enter")
    focus_lands_on(page, edit)
    assert Entry.objects.get(pk=cited.pk).status == Status.PUBLISHED
    tab_to(page, f"#entry-{cited.pk} form[action$='/status/'] button")
    assert page.evaluate("document.activeElement.textContent") == "Unpublish"
    page.keyboard.press("Enter")
    focus_lands_on(page, edit)
    assert Entry.objects.get(pk=cited.pk).status == Status.DRAFT

    # A refused Publish (no citation) says why, focus on the entry it concerns.
    tab_to(page, f"#entry-{bare.pk} form[action$='/status/'] button")
    page.keyboard.press("Enter")
    focus_lands_on(page, f"#entry-{bare.pk} .entry-actions a[href$='/edit/']")
    assert page.locator(f"#entry-{bare.pk} [role=alert]").is_visible()

    # Delete asks first (the browser's own dialog, answered from the keyboard), then focus is on the line
    # that says what went and offers to restore it.
    page.once("dialog", lambda dialog: dialog.accept())
    tab_to(page, f"#entry-{bare.pk} a.danger")
    page.keyboard.press("Enter")
    focus_lands_on(page, f"#entry-{bare.pk}.deleted-note")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Restore it"
    screenshot(page, "keyboard-after-delete")
    assert axe(page, strict=True) == []  # the swapped-in line too
    assert page.js_errors == []


def test_escape_folds_the_add_form_away_and_a_refused_add_focuses_the_field_at_fault(entries, page):
    cited, _ = entries
    login(page, "jane", PASSWORD)
    page.goto(cited.timeline.get_absolute_url())
    tab_to(page, "details.add-entry summary")
    page.keyboard.press("Enter")
    tab_to(page, "#add-entry-form input[name=date]")
    page.keyboard.press("Escape")
    focus_lands_on(page, "details.add-entry summary")
    assert not page.locator("details.add-entry").evaluate("details => details.open")

    page.keyboard.press("Enter")
    tab_to(page, "#add-entry-form input[name=date]")
    page.keyboard.type("sometime")  # not a date: refused, and focus goes to the field to fix
    tab_to(page, "#add-entry-form input[name=headline]")
    page.keyboard.type("Elections")
    page.keyboard.press("Enter")
    focus_lands_on(page, "#add-entry-form .has-error input[name=date]")
    assert page.js_errors == []


def test_the_skip_link_is_the_first_stop_on_a_logged_in_page_and_goes_past_the_header(entries, page):
    cited, _ = entries
    login(page, "jane", PASSWORD)
    page.goto(cited.timeline.get_absolute_url())
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("link => link === document.activeElement")
    assert skip.bounding_box()["x"] >= 0  # shown while it has focus
    screenshot(page, "keyboard-skip-link")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
