"""A long timeline's editor page, one year at a time: the year links and the filters, with and without JavaScript."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from factline import selectors
from factline.services import entry_create, timeline_create
from tests.browser.conftest import login, screenshot
from tests.conftest import PASSWORD


@pytest.fixture
def long_timeline(transactional_db, monkeypatch):
    monkeypatch.setattr(selectors, "YEAR_PAGES_FROM", 3)  # the live server runs in this process
    jane = get_user_model().objects.create_user(username="jane", password=PASSWORD)
    timeline = timeline_create(actor=jane, title="Years of it")
    for year, month in [(2012, 3), (2012, 5), (2013, 1), (2013, 2), (2013, 9)]:
        tags = "coup" if (year, month) == (2012, 5) else ""
        entry_create(
            actor=jane, timeline=timeline, start=datetime.date(year, month, 1), precision="month",
            headline=f"Entry of {year}-{month:02}", tags=tags,
        )  # fmt: skip
    return timeline


@pytest.mark.parametrize("javascript", [True, False])
def test_the_year_links_page_through_a_long_timeline_and_the_filters_keep_the_year(new_page, long_timeline, javascript):
    page = new_page(javascript=javascript)
    login(page, "jane", PASSWORD)
    page.goto(long_timeline.get_absolute_url())
    headlines = page.locator("#entry-list .entry-headline")
    expect(headlines).to_have_text(["Entry of 2013-01", "Entry of 2013-02", "Entry of 2013-09"])
    years = page.get_by_role("navigation", name="Jump to year")
    expect(years.get_by_role("link", name="2013")).to_have_attribute("aria-current", "page")
    years.get_by_role("link", name="2012").click()
    expect(headlines).to_have_text(["Entry of 2012-03", "Entry of 2012-05"])
    page.locator("#filter_tag").fill("coup")
    page.locator("#filter_tag").press("Enter")
    expect(headlines).to_have_text(["Entry of 2012-05"])
    expect(page).to_have_url(re.compile(rf"{long_timeline.get_absolute_url()}\?.*tag=coup.*year=2012"))
    screenshot(page, f"editor-years-{'js' if javascript else 'nojs'}")
