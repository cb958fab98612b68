"""Timeline settings as an owner meets them: rename and move, archive, delete and restore; citations changed."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from factline.models import Passage, Timeline
from factline.services import citation_create, entry_create, source_import, timeline_create
from tests.browser.conftest import follow, login, screenshot
from tests.conftest import ARTICLE, PASSWORD


@pytest.fixture
def journalist(transactional_db):
    return get_user_model().objects.create_user(username="jane", password=PASSWORD)


@pytest.fixture
def desk(journalist):
    return timeline_create(actor=journalist, title="Mali 2023")


@pytest.fixture
def cited(desk, journalist):
    article = source_import(data=ARTICLE.encode(), origin="vote.txt", publisher="Test Wire")
    entry = entry_create(actor=journalist, timeline=desk, start=datetime.date(2023, 6, 30), headline="The vote")
    passage = Passage.objects.get(source=article, number=2)
    citation_create(actor=journalist, entry=entry, passage=passage, quote="voted unanimously")
    return entry


def open_settings(page, desk) -> None:
    page.goto(desk.get_absolute_url())
    follow(page.get_by_role("navigation", name="Timeline").get_by_role("link", name="Settings"))


def test_an_owner_renames_a_timeline_and_its_old_address_still_leads_there(page, journalist, desk):
    login(page, "jane", PASSWORD)
    open_settings(page, desk)
    page.get_by_label("Title").fill("Mali: the end of MINUSMA")
    page.get_by_label("Address").fill("mali-minusma")
    screenshot(page, "settings-rename")
    follow(page.get_by_role("button", name="Save settings"))
    assert "Saved the timeline's settings." in page.locator(".messages").inner_text()
    page.goto("/t/mali-2023/activity/")
    assert page.url.endswith("/t/mali-minusma/activity/")
    assert "address mali-2023 → mali-minusma" in page.locator("main").inner_text()
    page.goto("/t/mali-2023/")
    assert page.url.endswith("/t/mali-minusma/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mali: the end of MINUSMA"


def test_an_owner_archives_then_deletes_and_restores_a_timeline(page, journalist, cited):
    desk = cited.timeline
    login(page, "jane", PASSWORD)
    open_settings(page, desk)
    follow(page.get_by_role("button", name="Archive timeline"))
    screenshot(page, "settings-archived")
    page.goto(desk.get_absolute_url())
    assert "Archived: this timeline is read-only." in page.locator("main").inner_text()
    entry = page.locator(f"#entry-{cited.pk}")
    assert entry.get_by_role("link", name="Edit").count() == 0 and entry.get_by_text("Remove").count() == 0
    screenshot(page, "editor-archived")

    open_settings(page, desk)
    follow(page.get_by_role("link", name="Delete this timeline…"))
    page.get_by_label("Type the timeline's name to confirm").fill("Mali")
    follow(page.get_by_role("button", name="Delete timeline"))
    assert "exactly" in page.locator(".error").inner_text()
    assert Timeline.objects.filter(pk=desk.pk).exists()
    page.get_by_label("Type the timeline's name to confirm").fill("Mali 2023")
    follow(page.get_by_role("button", name="Delete timeline"))
    assert "Deleted “Mali 2023”" in page.locator(".messages").inner_text()
    screenshot(page, "timelines-deleted")
    page.goto("/")
    assert page.get_by_role("link", name="Mali 2023").count() == 0
    follow(page.get_by_role("link", name="Deleted timelines"))
    follow(page.get_by_role("button", name="Restore “Mali 2023”"))
    assert "Restored “Mali 2023”." in page.locator(".messages").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Mali 2023"


def test_an_editor_changes_a_citations_stance_and_sees_it_in_history(page, journalist, cited):
    login(page, "jane", PASSWORD)
    page.goto(cited.timeline.get_absolute_url())
    block = page.locator(f"#entry-{cited.pk}")
    follow(block.get_by_role("link", name="Change citation “voted unanimously”"))
    page.get_by_label("Stance").select_option("contradicts")
    page.get_by_label("Editors' note").fill("The article contradicts itself here.")
    screenshot(page, "citation-change")
    follow(page.get_by_role("button", name="Save citation"))
    assert "The article contradicts itself here." in block.locator(".citation-note").inner_text()
    assert block.locator(".citation .stance").text_content() == "Contradicts"
    follow(block.get_by_role("link", name="History"))
    newest = page.locator(".revision").first
    assert "supports → contradicts" in newest.inner_text() and "note written" in newest.inner_text()
    screenshot(page, "citation-change-history")

    # Remove asks first (inline with htmx), then removes.
    page.goto(cited.timeline.get_absolute_url())
    block.get_by_role("link", name="Remove citation “voted unanimously”").click()
    block.get_by_role("button", name="Remove citation").wait_for()
    assert "Remove the citation of" in block.inner_text()
    screenshot(page, "citation-remove-confirm")
    block.get_by_role("button", name="Remove citation").click()
    page.locator(f"#entry-{cited.pk} .citations").wait_for(state="detached")
    assert cited.citations.count() == 0
