"""A long editor page shows one year at a time (selectors.year_pages), its filters and year links working without JS."""

from __future__ import annotations

import datetime

import pytest

from factline import selectors
from factline.models import Entry
from factline.models.timelines import Status
from tests.conftest import PASSWORD
from tests.test_views_entries import form_data
from tests.test_views_timelines import make_big_timeline, many_passages

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def few_pages(monkeypatch):
    monkeypatch.setattr(selectors, "YEAR_PAGES_FROM", 3)


@pytest.fixture
def years(timeline):
    """Two entries in 2012 (one published), three in 2013."""
    dates = [(2012, 3), (2012, 5), (2013, 1), (2013, 2), (2013, 9)]
    return Entry.objects.bulk_create(
        Entry(
            timeline=timeline,
            start=datetime.date(year, month, 1),
            precision="month",
            headline=f"Entry of {year}-{month:02}",
            status=Status.PUBLISHED if (year, month) == (2012, 5) else Status.DRAFT,
        )
        for year, month in dates
    )


def log_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def test_a_long_list_opens_on_its_latest_year_with_links_to_each_year(client, editor, timeline, years, few_pages):
    page = log_in(client, editor).get(timeline.get_absolute_url()).text
    assert page.count('class="entry-headline"') == 3 and "Entry of 2013-09" in page and "Entry of 2012" not in page
    assert '<a href="?year=2012">2012</a>' in page
    assert '<a href="?year=2013" aria-current="page">2013</a>' in page
    other = client.get(timeline.get_absolute_url(), {"year": 2012}).text
    assert other.count('class="entry-headline"') == 2 and "Entry of 2013" not in other
    assert '<input type="hidden" name="year" value="2012"' in other  # the filters keep the year


def test_a_short_list_stays_on_one_page(client, editor, timeline, years):
    page = log_in(client, editor).get(timeline.get_absolute_url()).text
    assert page.count('class="entry-headline"') == 5
    assert f'href="#entry-{years[0].pk}">2012</a>' in page


def test_the_year_links_keep_the_filters_and_the_filters_keep_the_year(client, editor, timeline, years, few_pages):
    page = log_in(client, editor).get(timeline.get_absolute_url(), {"status": "published", "year": 2012}).text
    # Filtered down to one entry the list is short again, but the year asked for is still the one shown.
    assert page.count('class="entry-headline"') == 1 and "Entry of 2012-05" in page
    narrowed = client.get(timeline.get_absolute_url(), {"status": "draft"}).text
    assert narrowed.count('class="entry-headline"') == 3  # four drafts: long, so the latest year's three
    assert '<a href="?status=draft&amp;year=2012">2012</a>' in narrowed


def test_a_bad_year_is_refused_as_a_filter_not_an_error(client, editor, timeline, years, few_pages):
    page = log_in(client, editor).get(timeline.get_absolute_url(), {"year": "nineteen"})
    assert page.status_code == 200 and page.text.count('class="entry-headline"') == 3


def test_an_entry_added_in_another_year_says_where_it_went(client, editor, timeline, years, few_pages):
    headers = {**HTMX, "HTTP_HX_CURRENT_URL": f"http://testserver{timeline.get_absolute_url()}"}
    form = form_data(date="August 2012", headline="Added to 2012")
    response = log_in(client, editor).post(f"/t/{timeline.slug}/entries/new/", form, **headers)
    assert Entry.objects.filter(headline="Added to 2012").exists()
    assert "The filters in use leave it out" in response.text
    form = form_data(date="October 2013", headline="Added to 2013")
    response = client.post(f"/t/{timeline.slug}/entries/new/", form, **headers)
    assert "Added to 2013" in response.text and 'id="year-nav"' not in response.text  # the year links stay


@pytest.mark.parametrize("count", [10, 1000])
def test_a_year_page_needs_the_same_queries_for_10_or_1000_entries(
    client, editor, timeline, count, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(selectors, "YEAR_PAGES_FROM", 5)
    make_big_timeline(timeline, many_passages(5), count)
    client = log_in(client, editor)
    with django_assert_max_num_queries(7):
        response = client.get(timeline.get_absolute_url())
    shown = Entry.objects.filter(timeline=timeline, start__year=2023 if count > 24 else 2009).count()
    assert response.text.count('class="entry-headline"') == shown
