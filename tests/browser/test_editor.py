"""The editor as a journalist meets it: log in, make a timeline, add, fix, edit and publish entries."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from factline.models import Entry, Timeline
from factline.services import source_import
from tests.browser.conftest import follow, login, screenshot
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


def cite_by_search(page, entry: Entry, words: str, *, quote: str = "") -> None:
    """The entry's "Cite a passage", a search for `words`, the first hit cited as support, and back.

    Selecting words in a source's reading view is walked through in test_citing.py.
    """
    page.locator(f"#entry-{entry.pk}").get_by_role("link", name="Cite a passage").click()
    page.get_by_label("Search the passages of every source").fill(words)
    page.get_by_role("button", name="Search").click()
    hit = page.locator(".hit").first
    hit.get_by_label("Quote").fill(quote)
    hit.get_by_label("Stance").select_option("supports")
    hit.get_by_role("button", name="Cite").click()


def test_without_javascript_the_message_of_a_save_stays_in_view_above_its_entry(new_page, journalist):
    from factline.services import entry_create, timeline_create

    timeline = timeline_create(actor=journalist, title="A long year")
    for day in range(1, 29):
        entry_create(actor=journalist, timeline=timeline, start=datetime.date(2023, 2, day), headline=f"Day {day}")
    last = Entry.objects.get(headline="Day 28")
    page = new_page(javascript=False)
    login(page, "jane", PASSWORD)
    page.goto(timeline.get_absolute_url())
    page.locator(f"#entry-{last.pk}").get_by_role("link", name="Edit").click()
    page.get_by_label("Headline").fill("The last day of February")
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url(f"**#entry-{last.pk}")

    message, entry = page.locator(".messages"), page.locator(f"#entry-{last.pk}")
    assert page.evaluate("window.scrollY") > 0  # the page did jump down to the entry
    assert message.bounding_box()["y"] >= 0  # and the message came along, in view
    assert message.bounding_box()["y"] + message.bounding_box()["height"] <= entry.bounding_box()["y"]
    assert "Saved “The last day of February”" in message.inner_text()
    screenshot(page, "editor-nojs-saved-in-view")


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
    assert not page.get_by_text("No entries yet.").is_visible()
    assert page.locator("#add-entry-form").get_by_label("Headline").input_value() == ""
    added = page.locator("#add-entry-form").get_by_role("status")
    assert added.is_visible() and added.inner_text() == "Added “The vote”. Show it"

    add_entry(page, date="c. 2012", headline="Insurgency in the north")
    page.locator(".entry", has_text="Insurgency").wait_for()
    headlines = page.locator(".entry-headline").all_inner_texts()
    assert headlines == ["Insurgency in the north", "The vote"]
    assert page.locator("#year-nav a").all_inner_texts() == ["2012", "2023"]

    entry = Entry.objects.get(headline="The vote")
    block.get_by_role("button", name="Publish").click()
    block.locator(".error").wait_for()
    assert "at least one citation supports it" in block.locator(".error").inner_text()

    cite_by_search(page, entry, "unanimously", quote="voted unanimously")
    page.locator("#cite-entry .citation").wait_for()
    follow(page.get_by_role("link", name="Back to Mali 2023"))
    page.evaluate("window.stayed = true")  # a page load from here on would forget it
    block = page.locator(f"#entry-{entry.pk}")
    assert "voted unanimously" in block.locator(".citations").inner_text()
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
    assert page.evaluate("window.stayed") is True  # publish and edit swapped the block in place
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
    follow(page.get_by_role("button", name="Add entry"))
    assert "Added “The vote”." in page.locator(".messages").inner_text()
    entry = Entry.objects.get()
    cite_by_search(page, entry, "unanimously", quote="voted unanimously")
    page.wait_for_url(f"**#entry-{entry.pk}")  # without JavaScript, citing leads back to the entry
    assert "voted unanimously" in page.locator(f"#entry-{entry.pk} .citations").inner_text()
    follow(page.locator(f"#entry-{entry.pk}").get_by_role("button", name="Publish"))
    assert Entry.objects.get().status == "published"

    page.locator(f"#entry-{entry.pk}").get_by_role("link", name="Edit").click()
    page.get_by_label("Headline").fill("The vote, unanimous")
    follow(page.get_by_role("button", name="Save entry"))
    assert page.locator(f"#entry-{entry.pk} .entry-headline").inner_text() == "The vote, unanimous"

    page.locator(f"#entry-{entry.pk}").get_by_role("link", name="Delete").click()
    follow(page.get_by_role("button", name="Delete entry"))
    assert "Deleted “The vote, unanimous”" in page.locator(".messages").inner_text()
    assert not Entry.objects.exists()
    assert Timeline.objects.get().entries.count() == 0


@pytest.fixture
def shared_entry(journalist):
    """An entry on a timeline of jane's that omar edits too."""
    from factline.models import Membership
    from factline.services import entry_create, timeline_create

    omar = get_user_model().objects.create_user(username="omar", password=PASSWORD)
    timeline = timeline_create(actor=journalist, title="Shared")
    Membership.objects.create(timeline=timeline, user=omar, role="editor")
    return entry_create(actor=journalist, timeline=timeline, start=datetime.date(2023, 6, 30), headline="The vote")


def jane_saves_while_omar_edits(new_page, entry: Entry):
    """Jane and omar open the entry's edit form; jane saves a new headline. Omar's page, his form still open."""
    jane, omar = new_page(), new_page()
    for page, name in ((jane, "jane"), (omar, "omar")):
        login(page, name, PASSWORD)
        page.goto(entry.timeline.get_absolute_url())
        page.locator(f"#entry-{entry.pk}").get_by_role("link", name="Edit").click()
        page.locator(f"#entry-{entry.pk} form").wait_for()
    jane.locator(f"#entry-{entry.pk} form").get_by_label("Headline").fill("The unanimous vote")
    jane.locator(f"#entry-{entry.pk} form").get_by_role("button", name="Save entry").click()
    jane.locator(".entry-headline", has_text="The unanimous vote").wait_for()
    return omar


def test_two_editors_saving_one_entry_reach_the_conflict_screen_and_lose_nothing(new_page, shared_entry):
    entry = shared_entry
    omar = jane_saves_while_omar_edits(new_page, entry)
    omar.locator(f"#entry-{entry.pk} form").get_by_label("Place").fill("New York")
    omar.locator(f"#entry-{entry.pk} form").get_by_role("button", name="Save entry").click()
    conflict = omar.locator(".entry.conflict")
    conflict.wait_for()
    assert "jane changed this entry" in conflict.inner_text()
    assert "The unanimous vote" in conflict.inner_text() and "New York" in conflict.inner_text()
    screenshot(omar, "conflict-screen")

    conflict.get_by_role("button", name="Save entry").click()  # the merge form, both changes in it
    omar.locator(".entry-headline", has_text="The unanimous vote").wait_for()
    # The saved entry replaces the whole conflict panel. htmx lends the new block the old one's
    # classes until it settles (about 20 ms, for CSS transitions), so wait rather than count at once.
    expect(omar.locator(".entry.conflict")).to_have_count(0)
    assert omar.locator(f"[id=entry-{entry.pk}]").count() == 1
    saved = Entry.objects.get()
    assert (saved.headline, saved.place, saved.version) == ("The unanimous vote", "New York", 3)
    assert saved.history.count() == 3


def test_a_save_that_cannot_land_says_why_and_keeps_what_was_typed(page, journalist):
    from factline.services import entry_create, entry_delete, timeline_create

    timeline = timeline_create(actor=journalist, title="Sahel")
    entry = entry_create(actor=journalist, timeline=timeline, start=datetime.date(2023, 6, 30), headline="The vote")
    other = entry_create(actor=journalist, timeline=timeline, start=datetime.date(2023, 12, 31), headline="The end")
    login(page, "jane", PASSWORD)
    page.goto(timeline.get_absolute_url())
    alert = page.locator("#request-error")
    assert alert.is_hidden()

    # Someone deletes the entry while it is open.
    page.locator(f"#entry-{other.pk}").get_by_role("link", name="Edit").click()
    form = page.locator(f"#entry-{other.pk} form")
    form.get_by_label("Headline").fill("The last peacekeepers leave")
    entry_delete(entry=other, actor=journalist)
    form.get_by_role("button", name="Save entry").click()
    alert.wait_for()
    assert "no longer here" in alert.inner_text()
    assert form.get_by_label("Headline").input_value() == "The last peacekeepers leave"

    # The session ends (logged out in another tab) while an edit is open.
    page.locator(f"#entry-{entry.pk}").get_by_role("link", name="Edit").click()
    form = page.locator(f"#entry-{entry.pk} form")
    form.get_by_label("Headline").fill("The unanimous vote")
    other_tab = page.context.new_page()
    other_tab.goto(timeline.get_absolute_url())
    other_tab.get_by_role("button", name="Log out").click()
    # Closing a tab mid-navigation can hang Playwright's close() for good (seen in CI): let it land.
    other_tab.get_by_role("button", name="Log in").wait_for()
    other_tab.close()
    form.get_by_role("button", name="Save entry").click()
    page.locator("#request-error", has_text="logged out").wait_for()
    assert "what you typed is kept" in alert.inner_text()
    assert form.get_by_label("Headline").input_value() == "The unanimous vote"
    assert page.locator("#id_username").count() == 0  # no login page swapped into the timeline
    assert Entry.objects.get(pk=entry.pk).headline == "The vote"
    screenshot(page, "editor-save-refused")
    # Chromium and htmx log each refused request; those two are the ones this test made.
    refused = ("status of 401", "status of 404", "Error Code 401", "Error Code 404")
    assert [error for error in page.js_errors if not any(code in error for code in refused)] == []


def test_a_long_span_does_not_squeeze_its_headline_into_a_narrow_column(page, journalist):
    from factline.services import entry_create, timeline_create

    timeline = timeline_create(actor=journalist, title="Spans")
    entry_create(
        actor=journalist,
        timeline=timeline,
        start=datetime.date(2013, 9, 25),
        end=datetime.date(2014, 12, 30),
        end_precision="day",
        approximate=True,
        headline="A span entry with a rather long headline to see how the date and headline wrap together",
    )
    login(page, "jane", PASSWORD)
    page.goto(timeline.get_absolute_url())
    headline = page.locator(".entry-headline")
    assert page.locator(".entry-date").inner_text() == "c. 25 September 2013 – 30 December 2014"
    assert headline.bounding_box()["width"] > 400  # its own line, not a column beside the date


@pytest.fixture
def three_years(journalist):
    from factline.services import entry_create, timeline_create

    timeline = timeline_create(actor=journalist, title="Three years")
    for year, headline in ((2012, "The coup"), (2015, "The peace accord"), (2020, "The second coup")):
        entry_create(
            actor=journalist, timeline=timeline, start=datetime.date(year, 1, 1), precision="year", headline=headline
        )
    return timeline


def test_an_entry_whose_date_changes_moves_and_a_deleted_one_can_be_brought_back(page, three_years):
    coup, accord = (Entry.objects.get(headline=h) for h in ("The coup", "The peace accord"))
    login(page, "jane", PASSWORD)
    page.goto(three_years.get_absolute_url())
    page.evaluate("window.stayed = true")

    page.locator(f"#entry-{coup.pk}").get_by_role("link", name="Edit").click()
    form = page.locator(f"#entry-{coup.pk} form")
    form.get_by_label("Date", exact=True).fill("2018")
    form.get_by_role("button", name="Save entry").click()
    expect(page.locator(".entry-headline")).to_have_text(["The peace accord", "The coup", "The second coup"])
    expect(page.locator("#year-nav a")).to_have_text(["2015", "2018", "2020"])
    assert page.locator(f"[id=entry-{coup.pk}]").count() == 1

    page.once("dialog", lambda dialog: dialog.accept())  # "Delete …? Its history keeps it."
    page.locator(f"#entry-{accord.pk}").get_by_role("link", name="Delete").click()
    note = page.locator(".deleted-note")
    note.wait_for()
    assert "Deleted 2015: The peace accord" in note.inner_text()
    expect(page.locator("#year-nav a")).to_have_text(["2018", "2020"])
    assert page.evaluate("window.stayed") is True
    screenshot(page, "editor-entry-deleted")

    follow(note.get_by_role("button", name="Restore it"))
    assert "Restored “The peace accord”" in page.locator(".messages").inner_text()
    expect(page.locator(".entry-headline")).to_have_text(["The peace accord", "The coup", "The second coup"])
    assert page.js_errors == []


def test_an_entry_added_while_filters_hide_it_is_announced_and_added_once(page, three_years):
    login(page, "jane", PASSWORD)
    page.goto(three_years.get_absolute_url())
    page.get_by_label("Show").select_option("disputed")
    page.get_by_text("No entries match these filters.").wait_for()
    page.locator(".add-entry > summary").click()
    add_entry(page, date="2013", headline="MINUSMA deploys")
    added = page.locator("#add-entry-form").get_by_role("status")
    added.wait_for()
    assert "The filters in use leave it out" in added.inner_text()
    assert page.locator("#add-entry-form").get_by_label("Headline").input_value() == ""
    assert Entry.objects.filter(headline="MINUSMA deploys").count() == 1
    follow(added.get_by_role("link", name="show all entries"))
    assert "MINUSMA deploys" in page.locator(".entry-headline").all_inner_texts()
    assert page.js_errors == []


def test_back_and_forward_keep_the_filters_in_step_with_the_list(page, three_years):
    login(page, "jane", PASSWORD)
    page.goto(three_years.get_absolute_url())
    show = page.get_by_label("Show")
    show.select_option("disputed")
    page.wait_for_url("**flag=disputed**")
    page.get_by_text("No entries match these filters.").wait_for()
    page.go_back()
    expect(page.locator(".entry-headline")).to_have_count(3)
    expect(show).to_have_value("")
    page.go_forward()
    page.get_by_text("No entries match these filters.").wait_for()
    expect(show).to_have_value("disputed")


def test_keeping_mine_over_theirs_keeps_what_only_they_changed(new_page, shared_entry):
    entry = shared_entry
    omar = jane_saves_while_omar_edits(new_page, entry)
    form = omar.locator(f"#entry-{entry.pk} form")
    form.get_by_label("Place").fill("New York")
    form.get_by_label("Date", exact=True).fill("2023-06-30")  # the same date, typed another way
    form.get_by_role("button", name="Save entry").click()
    conflict = omar.locator(".entry.conflict")
    conflict.wait_for()
    rows = conflict.locator("tbody tr")
    expect(rows).to_have_count(2)  # the headline (theirs) and the place (mine); not the date
    assert "You left it as it was." in rows.filter(has_text="Headline").inner_text()
    conflict.get_by_role("button", name="Keep mine over theirs").click()
    omar.locator(f"#entry-{entry.pk} .entry-headline").wait_for()
    saved = Entry.objects.get()
    assert (saved.headline, saved.place, saved.version) == ("The unanimous vote", "New York", 3)
    assert omar.locator(f"#entry-{entry.pk} .entry-headline").inner_text() == "The unanimous vote"


def test_an_editor_is_told_of_others_changes_and_refreshing_asks_before_losing_an_edit(page, shared_entry, article):
    from factline.services import citation_create

    entry, other = shared_entry, get_user_model().objects.get(username="omar")
    login(page, "jane", PASSWORD)
    page.goto(entry.timeline.get_absolute_url())
    page.locator(f"#entry-{entry.pk}").get_by_role("link", name="Edit").click()
    page.locator(f"#entry-{entry.pk} form").get_by_label("Place").fill("New York")

    citation_create(actor=other, entry=entry, passage=article.passages.get(number=2), quote="voted unanimously")
    # What the page's poll (every 15 s) would do, now rather than in 15 s.
    poll = "el => htmx.ajax('GET', el.getAttribute('data-hx-get'), {source: el, target: el, swap: 'outerHTML'})"
    page.locator("#changes-poll").evaluate(poll)
    banner = page.locator(".changes-banner")
    banner.wait_for()
    assert "omar cited a passage for “The vote”" in banner.inner_text()
    assert covered_fields(page, banner) == []
    screenshot(page, "editor-changes-banner")

    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    banner.get_by_role("link", name="Refresh").click()
    assert dialogs and "not saved" in dialogs[0]
    assert page.locator(f"#entry-{entry.pk} form").get_by_label("Place").input_value() == "New York"

    banner.get_by_role("button", name="Not now").click()
    expect(page.locator(".changes-banner")).to_have_count(0)
    assert page.locator("#changes-poll").get_attribute("data-hx-trigger") == "every 15s"  # still listening
    assert page.js_errors == []


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def covered_fields(page, banner) -> list[str]:
    """The visible fields and buttons of the page's forms whose boxes the changes notice overlaps."""
    box = banner.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0
    hit = []
    for field in page.locator(
        "form input:visible, form textarea:visible, form select:visible, form button:visible"
    ).all():
        where = field.bounding_box()
        if where and overlaps(box, where):
            hit.append(field.get_attribute("name") or field.inner_text())
    return hit


@pytest.mark.parametrize("width", [1280, 375])
def test_the_changes_notice_never_covers_the_open_edit_form(new_page, shared_entry, article, width):
    from factline.services import citation_create, entry_create

    entry, other = shared_entry, get_user_model().objects.get(username="omar")
    for year in range(2014, 2020):  # enough entries below for the page to scroll
        entry_create(actor=other, timeline=entry.timeline, start=datetime.date(year, 1, 1), headline=f"Later {year}")
    page = new_page(width=width, height=800)
    login(page, "jane", PASSWORD)
    page.goto(entry.timeline.get_absolute_url())
    page.locator(f"#entry-{entry.pk}").get_by_role("link", name="Edit").click()
    form = page.locator(f"#entry-{entry.pk} form")
    summary = form.get_by_label("Edit summary")
    summary.fill("Checked against the wire")
    for field, number in ((form.get_by_label("Headline"), 2), (summary, 3)):
        field.scroll_into_view_if_needed()
        citation_create(actor=other, entry=entry, passage=article.passages.get(number=number))
        poll = "el => htmx.ajax('GET', el.getAttribute('data-hx-get'), {source: el, target: el, swap: 'outerHTML'})"
        page.locator("#changes-poll").evaluate(poll)
        banner = page.locator(".changes-banner")
        banner.wait_for()
        assert covered_fields(page, banner) == [], width
        screenshot(page, f"editor-changes-notice-{width}-{number}")
        banner.get_by_role("button", name="Not now").click()
        expect(page.locator(".changes-banner")).to_have_count(0)
    assert summary.input_value() == "Checked against the wire"
    assert page.js_errors == []
