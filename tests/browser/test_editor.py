"""The editor as a journalist meets it: log in, make a timeline, add, fix, edit and publish entries."""

import pytest
from django.contrib.auth import get_user_model

from factline.models import Entry, Passage, Timeline
from factline.services import citation_create, source_import
from tests.browser.conftest import login, screenshot
from tests.conftest import ARTICLE, PASSWORD


@pytest.fixture
def journalist(transactional_db):
    return get_user_model().objects.create_user(username="jane", password=PASSWORD)


@pytest.fixture
def article(transactional_db):
    return source_import(data=ARTICLE.encode(), origin="vote.txt", publisher="Test Wire")


def add_entry(page, *, date: str, headline: str, tags: str = "") -> None:
    form = page.locator("#add-entry-form")
    form.get_by_label("Date", exact=True).fill(date)
    form.get_by_label("Headline").fill(headline)
    form.get_by_label("Tags").fill(tags)
    form.get_by_role("button", name="Add entry").click()


def cite_in_test(entry: Entry, article) -> None:
    # Citing through the finder and the reading view is covered by test_citing.py.
    passage = Passage.objects.get(source=article, number=2)
    citation_create(actor=None, entry=entry, passage=passage, quote="voted unanimously")


def test_a_new_editor_builds_a_timeline_with_javascript(page, journalist, article):
    login(page, "jane", PASSWORD)
    page.get_by_label("Title").fill("Mali 2023")
    page.get_by_role("button", name="Create timeline").click()
    page.get_by_role("heading", name="Mali 2023").wait_for()

    add_entry(page, date="31 February 2023", headline="The vote")
    error = page.locator("#id_date_error")
    assert error.inner_text() == "February 2023 has no day 31."
    assert page.locator("#add-entry-form").get_by_label("Date", exact=True).input_value() == "31 February 2023"
    assert page.locator("#add-entry-form").get_by_label("Headline").input_value() == "The vote"
    assert not Entry.objects.exists()

    page.locator("#add-entry-form").get_by_label("Date", exact=True).fill("June 2023")
    page.locator("#add-entry-form").get_by_role("button", name="Add entry").click()
    block = page.locator(".entry", has_text="The vote")
    block.wait_for()
    assert block.locator(".entry-date").inner_text() == "June 2023"
    assert page.locator("#add-entry-form").get_by_label("Headline").input_value() == ""

    add_entry(page, date="c. 2012", headline="Insurgency in the north")
    page.locator(".entry", has_text="Insurgency").wait_for()
    headlines = page.locator(".entry-headline").all_inner_texts()
    assert headlines == ["Insurgency in the north", "The vote"]

    entry = Entry.objects.get(headline="The vote")
    block.get_by_role("button", name="Publish").click()
    block.locator(".error").wait_for()
    assert "at least one citation supports it" in block.locator(".error").inner_text()

    cite_in_test(entry, article)
    page.reload()
    block = page.locator(f"#entry-{entry.pk}")
    block.get_by_role("button", name="Publish").click()
    block.get_by_role("button", name="Unpublish").wait_for()
    assert Entry.objects.get(pk=entry.pk).status == "published"

    block.get_by_role("link", name="Edit").click()
    editing = page.locator(f"#entry-{entry.pk} form")
    editing.get_by_label("Headline").fill("The Security Council votes to end MINUSMA")
    editing.get_by_label("Edit summary").fill("Say who voted")
    editing.get_by_role("button", name="Save entry").click()
    page.locator(".entry-headline", has_text="Security Council votes").wait_for()
    assert Entry.objects.get(pk=entry.pk).history.first().history_change_reason == "Say who voted"
    assert page.locator(".entry").count() == 2
    screenshot(page, "editor-page")
    assert page.js_errors == []


def test_the_same_core_flow_works_without_javascript(new_page, journalist, article):
    page = new_page(javascript=False)
    login(page, "jane", PASSWORD)
    page.get_by_label("Title").fill("Mali, no JS")
    page.get_by_role("button", name="Create timeline").click()
    page.get_by_role("heading", name="Mali, no JS").wait_for()

    add_entry(page, date="2023-13", headline="The vote")
    assert page.locator("#id_date_error").inner_text() == "There is no month 13."
    assert page.get_by_label("Date", exact=True).input_value() == "2023-13"

    page.get_by_label("Date", exact=True).fill("2023-06")
    page.get_by_role("button", name="Add entry").click()
    assert "Added “The vote”." in page.locator(".messages").inner_text()
    entry = Entry.objects.get()
    cite_in_test(entry, article)
    page.reload()
    page.locator(f"#entry-{entry.pk}").get_by_role("button", name="Publish").click()
    assert Entry.objects.get().status == "published"

    page.locator(f"#entry-{entry.pk}").get_by_role("link", name="Edit").click()
    page.get_by_label("Headline").fill("The vote, unanimous")
    page.get_by_role("button", name="Save entry").click()
    assert page.locator(f"#entry-{entry.pk} .entry-headline").inner_text() == "The vote, unanimous"

    page.locator(f"#entry-{entry.pk}").get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Delete entry").click()
    assert "Deleted “The vote, unanimous”" in page.locator(".messages").inner_text()
    assert not Entry.objects.exists()
    assert Timeline.objects.get().entries.count() == 0


def test_two_editors_saving_one_entry_reach_the_conflict_screen_and_lose_nothing(new_page, journalist, article):
    other = get_user_model().objects.create_user(username="omar", password=PASSWORD)
    from factline.models import Membership
    from factline.services import entry_create, timeline_create

    timeline = timeline_create(actor=journalist, title="Shared")
    Membership.objects.create(timeline=timeline, user=other, role="editor")
    import datetime

    entry = entry_create(actor=journalist, timeline=timeline, start=datetime.date(2023, 6, 30), headline="The vote")

    jane, omar = new_page(), new_page()
    for page, name in ((jane, "jane"), (omar, "omar")):
        login(page, name, PASSWORD)
        page.goto(timeline.get_absolute_url())
        page.locator(f"#entry-{entry.pk}").get_by_role("link", name="Edit").click()
        page.locator(f"#entry-{entry.pk} form").wait_for()

    jane.locator(f"#entry-{entry.pk} form").get_by_label("Headline").fill("The unanimous vote")
    jane.locator(f"#entry-{entry.pk} form").get_by_role("button", name="Save entry").click()
    jane.locator(".entry-headline", has_text="The unanimous vote").wait_for()

    omar.locator(f"#entry-{entry.pk} form").get_by_label("Place").fill("New York")
    omar.locator(f"#entry-{entry.pk} form").get_by_role("button", name="Save entry").click()
    conflict = omar.locator(".entry.conflict")
    conflict.wait_for()
    assert "jane changed this entry" in conflict.inner_text()
    assert "The unanimous vote" in conflict.inner_text() and "New York" in conflict.inner_text()
    screenshot(omar, "conflict-screen")

    conflict.get_by_role("button", name="Save entry").click()  # the merge form, both changes in it
    omar.locator(".entry-headline", has_text="The unanimous vote").wait_for()
    saved = Entry.objects.get()
    assert (saved.headline, saved.place, saved.version) == ("The unanimous vote", "New York", 3)
    assert saved.history.count() == 3
