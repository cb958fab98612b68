"""Citing as an editor does it: find a passage and cite it, select words in a source and cite exactly them."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from factline.models import Citation, Membership, Passage
from factline.models.timelines import Role
from factline.services import entry_create, source_import, timeline_create
from tests.browser.conftest import follow, login, screenshot
from tests.conftest import PASSWORD

SEED = Path(__file__).resolve().parents[2] / "seeds" / "articles" / "002_31fad5cfb2ade42c.txt"
# A passage with characters outside the Basic Multilingual Plane before the words to cite: JavaScript
# counts them as two units each, the server as one character each, and the offsets must agree.
FLAGS = (
    "Mali’s transition\n\n"
    "🇲🇱 Bamako’s junta — after talks — asked the UN to withdraw MINUSMA “without delay” in June 2023.\n\n"
    "Leave a Reply\n"
)


@pytest.fixture
def story(transactional_db):
    """An editor on a timeline with one entry, a seed article and a source with non-ASCII text."""
    users = get_user_model().objects
    owner = users.create_user(username="olivia", password=PASSWORD)
    editor = users.create_user(username="edgar", password=PASSWORD)
    timeline = timeline_create(actor=owner, title="Sahel watch")
    Membership.objects.create(timeline=timeline, user=editor, role=Role.EDITOR)
    entry = entry_create(
        actor=owner, timeline=timeline, start=datetime.date(2023, 6, 16), headline="Mali asks MINUSMA to leave"
    )
    seed = source_import(
        data=SEED.read_bytes(), origin=SEED.name, publisher="Reuters wire", published=datetime.date(2023, 6, 13)
    )
    flags = source_import(data=FLAGS.encode(), origin="flags.txt", publisher="Bamako Post")
    return entry, seed, flags


def finder_url(entry) -> str:
    return reverse("entry-cite", args=[entry.timeline.slug, entry.pk])


def open_finder(page, entry) -> None:
    """From the timeline's editor page, the entry's "Cite a passage" button."""
    page.goto(entry.timeline.get_absolute_url())
    page.locator(f"#entry-{entry.pk}").get_by_role("link", name="Cite a passage").click()
    page.wait_for_url(f"**{finder_url(entry)}")


def open_source_for(page, entry, source, words: str) -> None:
    """Find `words` in the finder and follow the hit's source title to its reading view, citing for `entry`."""
    open_finder(page, entry)
    page.get_by_label("Search the passages of every source").fill(words)
    page.get_by_role("button", name="Search").click()
    page.locator(".hit").first.get_by_role("link", name=source.title).click()
    page.wait_for_url(f"**{reverse('source-detail', args=[source.pk])}?entry={entry.pk}#p*")


def select_words(page, passage: Passage, words: str) -> None:
    """Select `words` inside the passage's text, as dragging the mouse over them would."""
    page.evaluate(
        """([pk, words]) => {
            const node = document.querySelector(`[data-passage="${pk}"]`).firstChild;
            const at = node.data.indexOf(words);
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + words.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [passage.pk, words],
    )


def test_an_editor_finds_a_passage_by_searching_and_cites_it(page, story):
    entry, seed, _ = story
    login(page, "edgar", PASSWORD)
    open_finder(page, entry)
    steps = page.evaluate("history.length")
    search = page.get_by_label("Search the passages of every source")
    search.press_sequentially("peacekeeping", delay=20)
    expect(page).to_have_url(re.compile(r"\?q=peacekeeping$"))
    search.press_sequentially(" resolution", delay=20)
    # The search goes into the address, for reloads and links, without a Back step per pause in typing.
    expect(page).to_have_url(re.compile(r"\?q=peacekeeping(\+|%20)resolution$"))
    assert page.evaluate("history.length") == steps
    hit = page.locator(".hit").first
    hit.wait_for()
    assert page.locator("h1").inner_text() == "Cite a passage"
    assert "Reuters wire" in hit.locator(".hit-source").inner_text()
    assert "13 June 2023" in hit.locator(".hit-source").inner_text()
    assert hit.locator("mark").count() >= 2
    screenshot(page, "citing-finder")

    passage = Passage.objects.get(pk=int(hit.get_attribute("id").removeprefix("hit-")))
    hit.get_by_label("Stance").select_option("supports")
    hit.get_by_role("button", name="Cite").click()
    page.locator(".hit .cite-ok").wait_for()
    assert "Cited" in page.locator(".hit .cite-ok").inner_text()
    assert page.locator("#cite-entry .citation").count() == 1
    citation = Citation.objects.get()
    assert (citation.entry, citation.passage, citation.quote) == (entry, passage, passage.text)
    assert passage.source == seed
    screenshot(page, "citing-finder-cited")
    assert page.js_errors == []


def test_an_editor_selects_words_in_a_source_and_cites_exactly_them(page, story):
    entry, _, flags = story
    passage = flags.passages.get(number=2)
    words = "asked the UN to withdraw MINUSMA “without delay”"
    login(page, "edgar", PASSWORD)
    open_source_for(page, entry, flags, "withdraw MINUSMA")
    assert page.locator("#selection-cite").is_hidden()
    assert page.locator(".boilerplate-fold summary").text_content() == "Not citable: comment form"

    select_words(page, passage, words)
    bar = page.locator("#selection-cite")
    bar.wait_for()
    assert bar.locator(".selection-quote").inner_text() == words
    bar.get_by_label("Stance").select_option("contradicts")
    screenshot(page, "citing-selection")
    bar.get_by_role("button", name="Cite these words").click()

    block = page.locator(f"#p{passage.number}")
    block.locator(".cite-ok").wait_for()
    assert block.locator(".cited-by").get_by_text("Mali asks MINUSMA to leave").is_visible()
    assert bar.is_hidden()
    citation = Citation.objects.get()
    start = passage.text.index(words)
    assert (citation.quote, citation.start, citation.end) == (words, start, start + len(words))
    assert citation.stance == "contradicts"
    assert citation.prefix == passage.text[start - 32 : start]  # the flag's code points are counted as Python does
    assert citation.suffix == passage.text[start + len(words) :]
    screenshot(page, "citing-selection-cited")

    # A drag that starts and ends inside words takes them whole; the stance starts afresh.
    select_words(page, passage, "sked the UN to withdr")
    bar.wait_for()
    assert bar.locator(".selection-quote").inner_text() == "asked the UN to withdraw"
    assert bar.get_by_label("Stance").input_value() == "supports"
    bar.get_by_role("button", name="Cite these words").click()
    bar.wait_for(state="hidden")
    whole = Citation.objects.get(quote="asked the UN to withdraw")
    assert (whole.start, whole.stance) == (passage.text.index("asked the UN to withdraw"), "supports")
    assert page.js_errors == []


def test_without_javascript_an_editor_pastes_a_quote_from_a_source_and_from_the_finder(new_page, story):
    entry, seed, flags = story
    page = new_page(javascript=False, width=375)  # and on a phone's width
    login(page, "edgar", PASSWORD)
    open_source_for(page, entry, flags, "withdraw MINUSMA")
    assert page.locator("#selection-cite").is_hidden()
    passage = flags.passages.get(number=2)
    block = page.locator(f"#p{passage.number}")
    block.get_by_text("Cite from this passage").click()
    block.get_by_label("Quote").fill("Bamako’s junta — after talks — asked the UN")
    block.get_by_label("Stance").select_option("context")
    screenshot(page, "citing-nojs-paste")
    block.get_by_role("button", name="Cite").click()
    page.wait_for_url(re.compile(rf"/t/{entry.timeline.slug}/#entry-{entry.pk}$"))
    citation = Citation.objects.get()
    assert (citation.quote, citation.stance) == ("Bamako’s junta — after talks — asked the UN", "context")

    open_finder(page, entry)
    page.get_by_label("Search the passages of every source").fill("resolution France")
    follow(page.get_by_role("button", name="Search"))
    hit = page.locator(".hit").first
    assert hit.get_by_role("link", name=seed.title).is_visible()
    assert "resolution" in hit.locator("mark").first.inner_text().lower()
    screenshot(page, "citing-nojs-finder")
    hit.get_by_role("button", name="Cite").click()
    page.wait_for_url(re.compile(rf"#entry-{entry.pk}$"))
    assert Citation.objects.count() == 2


def test_an_invented_quote_is_shown_as_an_error_next_to_the_field_with_the_words_kept(new_page, story):
    entry, _, flags = story
    for javascript in (True, False):
        page = new_page(javascript=javascript)
        login(page, "edgar", PASSWORD)
        page.goto(finder_url(entry) + "?q=withdraw+MINUSMA")
        hit = page.locator(".hit").first
        assert hit.locator(".hit-source a").inner_text() == flags.title
        hit.get_by_label("Quote").fill("asked the UN to stay")
        hit.get_by_role("button", name="Cite").click()
        error = page.locator(".hit .field-quote .error")
        error.wait_for()
        assert error.inner_text() == (
            "The quote is not in the passage word for word. Closest: … asked the UN to withdraw … "
            "(your words not there: stay)"
        )
        assert error.locator("mark").all_inner_texts() == ["withdraw"]  # the word that differs, marked
        assert page.locator(".hit").first.get_by_label("Quote").input_value() == "asked the UN to stay"
        screenshot(page, f"citing-invented-quote-{'js' if javascript else 'nojs'}")
    assert not Citation.objects.exists()
