"""Reviewing history as an editor meets it: revisions, their differences, a revert, a restore, the past."""

import datetime
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from factline.history import moment_param
from factline.models import Citation, Entry, Membership, Passage, Source
from factline.services import (
    citation_create,
    entry_create,
    entry_delete,
    entry_set_status,
    entry_update,
    source_import,
    source_update,
    timeline_create,
    timeline_share,
)
from tests.browser.conftest import follow, login, screenshot
from tests.conftest import ARTICLE, PASSWORD


@pytest.fixture
def journalist(transactional_db):
    return get_user_model().objects.create_user(username="jane", password=PASSWORD)


@pytest.fixture
def article(transactional_db):
    return source_import(data=ARTICLE.encode(), origin="vote.txt", publisher="Test Wire")


@pytest.fixture
def entry(journalist):
    timeline = timeline_create(actor=journalist, title="Mali 2023")
    return entry_create(
        actor=journalist,
        timeline=timeline,
        start=datetime.date(2023, 6, 1),
        precision="month",
        headline="The vote",
        body="The council voted to end the mission.",
        reason="First draft",
    )


def cite(entry: Entry, article, user) -> None:
    # Citing through the finder and the reading view is covered by the citing tests.
    passage = Passage.objects.get(source=article, number=2)
    citation_create(actor=user, entry=entry, passage=passage, quote="voted unanimously")


def edit(page, entry: Entry, **fields: str) -> None:
    """Open the entry's edit form on the timeline, change `fields` (by label) and save."""
    page.goto(entry.timeline.get_absolute_url())
    page.locator(f"#entry-{entry.pk}").get_by_role("link", name="Edit").click()
    form = page.locator(f"#entry-{entry.pk} form")
    for label, value in fields.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("button", name="Save entry").click()
    page.locator(f"#entry-{entry.pk} .entry-headline").wait_for()


def test_an_editor_compares_the_first_and_last_revision_and_reverts_to_the_first(page, journalist, article, entry):
    colleague = get_user_model().objects.create_user(username="omar", password=PASSWORD)
    Membership.objects.create(timeline=entry.timeline, user=colleague, role="editor")
    login(page, "jane", PASSWORD)
    edit(page, entry, Headline="The unanimous vote", **{"Edit summary": "Say it was unanimous"})
    cite(entry, article, colleague)  # a colleague cites meanwhile: a revision of its own
    edit(
        page,
        entry,
        Body="The Security Council voted unanimously to end the mission.",
        **{"Edit summary": "Name the council"},
    )

    page.goto(entry.timeline.get_absolute_url())
    follow(page.locator(f"#entry-{entry.pk}").get_by_role("link", name="History"))
    revisions = page.locator(".revision")
    assert revisions.count() == 4
    assert "“Name the council”" in revisions.nth(0).inner_text()
    assert "omar" in revisions.nth(1).inner_text()
    assert "citation added: Mali votes ¶2 (supports)" in revisions.nth(1).inner_text()
    assert "“Say it was unanimous”" in revisions.nth(2).inner_text()
    assert "headline reworded" in revisions.nth(2).inner_text()
    screenshot(page, "history-entry")

    page.get_by_label("from revision 1", exact=True).check()
    page.get_by_label("to revision 4", exact=True).check()
    follow(page.get_by_role("button", name="Compare the two chosen revisions"))
    headline = page.locator(".word-diff", has_text="Headline").locator(".diff-words")
    assert headline.locator("ins").inner_text() == " unanimous"
    body = page.locator(".word-diff", has_text="Body").locator(".diff-words")
    assert [word.strip() for word in body.locator("ins").all_inner_texts()] == ["Security Council", "unanimously"]
    added = page.locator(".citation-diff.added")
    assert "voted unanimously" in added.inner_text() and "Mali votes ¶2" in added.inner_text()
    screenshot(page, "history-compare")

    follow(page.get_by_role("link", name="Revert to revision 1…"))
    assert "The unanimous vote" in page.locator(".word-diffs").inner_text()
    warning = page.locator(".revert-consequences")
    assert "This removes 1 citation from the entry: Mali votes ¶2 (supports)." in warning.inner_text()
    button = page.get_by_role("button", name="Revert to revision 1")
    assert warning.bounding_box()["y"] < button.bounding_box()["y"]
    page.get_by_label("Why").fill("Back to what the sources say")
    screenshot(page, "history-revert-confirm")
    follow(page.get_by_role("button", name="Revert to revision 1"))
    assert "Reverted “The vote” to revision 1." in page.locator(".messages").inner_text()
    newest = page.locator(".revision").first
    assert "Revision 5" in newest.inner_text()
    assert "Reverted to revision 1 of" in newest.inner_text() and "Back to what the sources say" in newest.inner_text()
    assert "citation removed: Mali votes ¶2 (supports)" in newest.inner_text()
    assert page.locator(".revision").count() == 5  # nothing erased

    saved = Entry.objects.get()
    assert (saved.headline, saved.body, saved.citations.count()) == ("The vote", entry.body, 0)
    assert page.js_errors == []


def test_an_editor_deletes_an_entry_and_restores_it_with_its_citations(page, journalist, article, entry):
    cite(entry, article, journalist)
    entry_set_status(entry=entry, actor=journalist, status="published")
    pk, timeline = entry.pk, entry.timeline
    login(page, "jane", PASSWORD)
    page.goto(timeline.get_absolute_url())
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#entry-{pk}").get_by_role("link", name="Delete").click()
    # Gone from the page, or replaced by a note of what went: the entry's own block is no more.
    page.locator(f"#entry-{pk} .entry-headline").wait_for(state="detached")
    assert not Entry.objects.exists()

    page.get_by_role("navigation", name="Timeline").get_by_role("link", name="Deleted entries").click()
    row = page.locator(f"#deleted-{pk}")
    assert "The vote" in row.inner_text() and "jane" in row.inner_text() and "1 citation" in row.inner_text()
    screenshot(page, "history-deleted")
    follow(row.get_by_role("button", name="Restore"))
    assert "Restored “The vote” with 1 citation." in page.locator(".messages").inner_text()
    block = page.locator(f"#entry-{pk}")
    assert "voted unanimously" in block.locator(".citations").inner_text()
    assert block.get_by_role("button", name="Unpublish").count() == 1  # published again, as it was
    assert Entry.objects.get().pk == pk and Citation.objects.count() == 1
    assert page.js_errors == []


def test_the_timeline_as_it_stood_between_two_edits_shows_the_earlier_text_without_javascript(
    new_page, journalist, entry
):
    page = new_page(javascript=False)
    login(page, "jane", PASSWORD)
    edit(page, entry, Headline="The vote, first take", **{"Edit summary": "First take"})
    between = timezone.now()
    edit(page, entry, Headline="The vote, second take", **{"Edit summary": "Second take"})

    page.goto(entry.timeline.get_absolute_url())
    page.get_by_role("navigation", name="Timeline").get_by_role("link", name="As it stood").click()
    page.get_by_label("As it stood at (UTC)").fill("the day before yesterday")
    follow(page.get_by_role("button", name="Show"))
    assert "not a moment we can read" in page.locator("#id_as_of_error").inner_text()
    assert page.get_by_label("As it stood at (UTC)").input_value() == "the day before yesterday"

    page.get_by_label("As it stood at (UTC)").fill(moment_param(between))
    follow(page.get_by_role("button", name="Show"))
    assert "Past view, read-only." in page.locator(".past-banner").inner_text()
    assert page.locator(".entry-headline").all_inner_texts() == ["The vote, first take"]
    assert page.get_by_role("link", name="Edit").count() == 0
    screenshot(page, "history-as-of")
    follow(page.locator(".past-banner").get_by_role("link", name="Back to now"))
    assert page.locator(f"#entry-{entry.pk} .entry-headline").inner_text() == "The vote, second take"


def test_the_activity_and_a_sources_history_read_well_on_a_phone(new_page, journalist, article, entry):
    other = get_user_model().objects.create_user(username="omar", password=PASSWORD)
    Membership.objects.create(timeline=entry.timeline, user=other, role="viewer")
    cite(entry, article, journalist)
    page = new_page(width=375)
    login(page, "jane", PASSWORD)
    page.goto(entry.timeline.get_absolute_url())
    follow(page.get_by_role("navigation", name="Timeline").get_by_role("link", name="Activity"))
    rows = page.locator(".activity-row")
    assert "citation added: Mali votes ¶2 (supports)" in rows.first.inner_text()
    page.get_by_label("Person").select_option(label="jane")
    follow(page.get_by_role("button", name="Filter"))
    assert page.locator(".activity-row").count() >= 2
    screenshot(page, "history-activity-phone")
    follow(page.locator(".activity-row").first.get_by_role("link", name="Diff"))
    assert page.locator(".citation-diff.added").count() == 1
    screenshot(page, "history-compare-phone")

    page.goto(article.get_absolute_url())
    page.get_by_role("link", name="Edit details").click()
    page.get_by_label("Author").fill("Jane Roe")
    page.get_by_label("URL").fill("example.org/vote")  # as people paste it; the server adds https://
    page.get_by_label("Edit summary").fill("From the byline")
    screenshot(page, "source-edit-phone")
    follow(page.get_by_role("button", name="Save source"))
    assert "Jane Roe" in page.locator(".source-meta").inner_text()
    assert Source.objects.get(pk=article.pk).url == "https://example.org/vote"
    page.get_by_role("link", name="History of this source").click()
    assert "author none → Jane Roe" in page.locator(".revision").first.inner_text()
    screenshot(page, "history-source")
    assert page.js_errors == []


def fits(page, width: int) -> bool:
    """Whether the page is no wider than the screen: nothing to scroll to sideways."""
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_every_history_page_fits_a_phone_screen(new_page, journalist, article, entry):
    long_reason = "Duplicate of another entry that covers the same events in the north of the country in more detail"
    summary = "Say it was unanimous, as the council's own record and both wire stories agree"
    entry_update(entry=entry, actor=journalist, headline="The unanimous vote", reason=summary)
    cite(entry, article, journalist)
    gone = entry_create(
        actor=journalist, timeline=entry.timeline, start=datetime.date(2023, 8, 1), headline="The withdrawal begins"
    )
    gone_pk = gone.pk
    entry_delete(entry=gone, actor=journalist, reason=long_reason)
    timeline = timeline_share(timeline=timeline_share(timeline=entry.timeline, actor=journalist), actor=journalist)
    source_update(source=article, actor=journalist, reason="From the byline", author="Jane Roe")
    first = entry.history.order_by("history_date").first()
    page = new_page(width=375)
    login(page, "jane", PASSWORD)
    slug, pk, before = timeline.slug, entry.pk, f"e{first.history_id}"
    pages = {
        "deleted": reverse("timeline-deleted", args=[slug]),
        "entry": reverse("entry-history", args=[slug, pk]),
        "compare": reverse("entry-compare", args=[slug, pk]) + f"?from={before}",
        "revert": reverse("entry-revert", args=[slug, pk]) + f"?to={before}",
        "activity": reverse("timeline-activity", args=[slug]),
        "change": reverse("change-detail", args=[slug, "timeline", timeline.history.latest().history_id]),
        "as-of-form": reverse("timeline-as-of", args=[slug]),
        "as-of": reverse("timeline-as-of", args=[slug]) + "?" + urlencode({"as_of": moment_param(timezone.now())}),
        "source": reverse("source-history", args=[article.pk]),
    }
    for name, url in pages.items():
        page.goto(url)
        screenshot(page, f"history-phone-{name}")
        assert fits(page, 375), f"the {name} page ({url}) is wider than a 375px phone"
    page.goto(pages["deleted"])
    assert long_reason in page.locator(f"#deleted-{gone_pk}").inner_text()
    for name in ("History", "Restore"):
        box = page.locator(f"#deleted-{gone_pk}").get_by_role("link" if name == "History" else "button", name=name)
        assert box.bounding_box()["x"] + box.bounding_box()["width"] <= 375
    assert page.js_errors == []


@pytest.mark.parametrize("width", [1280, 375])
def test_the_past_view_says_so_however_far_down_one_scrolls(new_page, journalist, entry, width):
    for year in range(2014, 2024):
        entry_create(
            actor=journalist,
            timeline=entry.timeline,
            start=datetime.date(year, 1, 1),
            headline=f"Events of {year}",
            body="A paragraph long enough to take some room on the page, as a real entry would. " * 3,
        )
    page = new_page(width=width, height=700)
    login(page, "jane", PASSWORD)
    page.goto(reverse("timeline-as-of", args=[entry.timeline.slug]))
    field, show = page.get_by_label("As it stood at (UTC)"), page.get_by_role("button", name="Show")
    # The button sits on the input's line, not below its help text.
    assert abs(show.bounding_box()["y"] - field.bounding_box()["y"]) < 10
    assert show.bounding_box()["y"] < page.locator("#id_as_of_helptext").bounding_box()["y"]
    screenshot(page, f"history-as-of-form-{width}")

    field.fill(moment_param(timezone.now()))
    follow(show)
    last = page.locator(".past-entries .entry").last
    last.scroll_into_view_if_needed()
    banner = page.locator(".past-banner")
    box = banner.bounding_box()  # relative to the window: still at its top, over the last entry
    assert 0 <= box["y"] <= 1 and box["y"] + box["height"] < 700 / 4
    assert last.bounding_box()["y"] < 700
    assert "Past view, read-only." in banner.inner_text() and "UTC" in banner.inner_text()
    assert banner.get_by_role("link", name="Back to now").is_visible()
    screenshot(page, f"history-as-of-scrolled-{width}")
    assert fits(page, width)
    assert page.js_errors == []
