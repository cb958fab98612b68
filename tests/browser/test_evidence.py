"""From sources to entries, as editors do it: dates in a seed article, suggested sources, the review queue."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from factline.models import Citation, Entry
from factline.models.timelines import Status
from tests.browser.conftest import follow, login, screenshot

PASSWORD = "factline-demo"


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEBUG = True
    call_command("load_seeds", verbosity=0)
    call_command("demo_accounts", verbosity=0)


def block(page, headline: str):
    return page.locator("li.entry").filter(has=page.get_by_role("heading", name=headline, exact=True))


@pytest.mark.parametrize("javascript", [True, False])
def test_an_editor_creates_an_entry_from_a_date_marked_in_a_seed_article(demo, new_page, javascript):
    from factline.models import Source

    explainer = Source.objects.get(origin__startswith="003_")
    page = new_page(javascript=javascript)
    login(page, "editor", PASSWORD)
    page.goto(explainer.get_absolute_url())
    expect(page.locator("mark.date-mark").first).to_be_visible()
    assert page.locator("mark.date-mark").count() == 15
    june = page.locator("li.date-item").filter(has_text="June 16")
    expect(june).to_contain_text("16 June 2023")
    friday = page.locator("li.date-item").filter(has_text="on Friday")
    expect(friday).to_contain_text("too coarse")
    screenshot(page, f"source-dates-js-{javascript}")
    follow(june.get_by_role("link", name="New entry from this date"))
    expect(page.get_by_label("Date", exact=True)).to_have_value("16 June 2023")
    quote = page.get_by_label("Supporting quote")
    expect(quote).to_have_value(
        "On June 16, Mali's Foreign Minister Abdoulaye Diop ordered MINUSMA's immediate departure."
    )
    quote.fill("Mali's Foreign Minister Abdoulaye Diop ordered MINUSMA's immediate departure")
    page.get_by_label("Headline").fill("Diop orders MINUSMA out")
    screenshot(page, f"entry-from-date-js-{javascript}")
    follow(page.get_by_role("button", name="Add entry"))
    expect(block(page, "Diop orders MINUSMA out")).to_contain_text("16 June 2023")
    entry = Entry.objects.get(headline="Diop orders MINUSMA out")
    (citation,) = entry.citations.all()
    assert (citation.quote, citation.stance, entry.precision) == (
        "Mali's Foreign Minister Abdoulaye Diop ordered MINUSMA's immediate departure",
        "supports",
        "day",
    )
    assert page.js_errors == []


def test_an_editor_cites_from_suggest_sources(demo, page):
    login(page, "editor", PASSWORD)
    page.goto("/t/mali/")
    entry = Entry.objects.get(headline="Killings in Moura")
    before = entry.citations.count()
    follow(block(page, "Killings in Moura").get_by_role("link", name="Suggest sources"))
    suggestions = page.locator("li.suggestion")
    expect(suggestions.first).to_contain_text("Words it shares with the entry")
    assert suggestions.count() == 10
    screenshot(page, "suggest-sources")
    first = suggestions.first
    source_title = first.locator(".hit-source a").inner_text()
    follow(first.get_by_role("button", name="Cite"))
    expect(page.locator(".messages")).to_contain_text("Cited")
    assert entry.citations.count() == before + 1
    assert entry.citations.order_by("-id").first().passage.source.title == source_title
    assert page.js_errors == []


def test_the_demo_review_queue_lists_what_it_should_and_an_editor_marks_an_entry_reviewed(demo, page):
    login(page, "editor", PASSWORD)
    page.goto("/t/mali/")
    follow(page.get_by_role("link", name="Review queue"))
    single = page.locator("li.review-item").filter(has_text="Elections scheduled for 2024")
    expect(single).to_contain_text("Rests on a single source")
    expect(single.get_by_role("link", name="Suggest sources")).to_be_visible()
    disputed = page.locator("li.review-item").filter(has_text="Military coup brings the junta to power")
    expect(disputed).to_contain_text("Disputed")
    weak = page.locator("li.review-item").filter(has_text="Military coup in 2012, according to one unreliable article")
    expect(weak).to_contain_text("Supported only by sources rated mixed or unreliable")
    expect(weak.locator(".marker.draft")).to_be_visible()
    # The demo claims no date, stance or source stronger than its evidence.
    for name in ("date-beyond-evidence", "stance-contradicts-sibling", "single-weak-source"):
        expect(page.locator(f".reason-{name}")).to_have_count(0)
    count = page.locator("li.review-item").count()
    screenshot(page, "review-queue")
    follow(single.get_by_role("button", name="Mark reviewed"))
    expect(page.locator(".messages")).to_contain_text("Marked “Elections scheduled for 2024” reviewed")
    assert page.locator("li.review-item").count() == count - 1
    entry = Entry.objects.get(headline="Elections scheduled for 2024")
    page.goto(f"/t/mali/entries/{entry.pk}/history/")
    expect(page.locator(".revision").first).to_contain_text("marked reviewed")
    assert page.js_errors == []


def test_with_the_two_person_rule_an_editors_publish_waits_for_another_editor(demo, new_page):
    owner, editor = new_page(), new_page()
    login(owner, "owner", PASSWORD)
    owner.goto("/t/mali/review/")
    owner.get_by_label("Publishing needs a second editor").check()
    follow(owner.get_by_role("button", name="Save"))
    expect(owner.locator(".messages")).to_contain_text("Publishing now needs a second editor")

    login(editor, "editor", PASSWORD)
    editor.goto("/t/mali/")
    moura = block(editor, "Killings in Moura")
    moura.get_by_role("button", name="Unpublish").click()
    expect(moura.get_by_role("button", name="Ask for review")).to_be_visible()
    expect(moura.get_by_role("button", name="Publish")).to_have_count(0)
    follow(moura.get_by_role("button", name="Ask for review"))
    expect(editor.locator(".messages")).to_contain_text("Asked another editor to review")
    expect(block(editor, "Killings in Moura").locator(".marker.awaiting")).to_be_visible()
    expect(block(editor, "Killings in Moura").get_by_role("link", name="Review")).to_have_count(0)
    entry = Entry.objects.get(headline="Killings in Moura")
    assert entry.status == Status.DRAFT and entry.awaiting_review

    owner.goto("/t/mali/review/")
    waiting = owner.locator("li.review-item").filter(has_text="Killings in Moura")
    expect(waiting).to_contain_text("Waiting for approval")
    follow(waiting.get_by_role("link", name="Review"))
    screenshot(owner, "entry-review")
    follow(owner.get_by_role("button", name="Approve and publish"))
    expect(owner.locator(".messages")).to_contain_text("Approved and published")
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED and not entry.awaiting_review
    assert Citation.objects.filter(entry=entry).exists()
    assert owner.js_errors == [] and editor.js_errors == []


def test_the_new_pages_fit_a_phone(demo, new_page):
    from factline.models import DateMention, Source

    entry = Entry.objects.get(headline="Killings in Moura")
    explainer = Source.objects.get(origin__startswith="003_")
    mention = DateMention.objects.filter(passage__source=explainer, value__isnull=False).first()
    page = new_page(width=375)
    login(page, "owner", PASSWORD)
    for path in (
        "/t/mali/review/",
        f"/t/mali/entries/{entry.pk}/suggest/",
        f"/t/mali/entries/{entry.pk}/review/",
        explainer.get_absolute_url(),
        f"/t/mali/entries/new/?mention={mention.pk}",
    ):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    page.goto("/t/mali/review/")
    screenshot(page, "review-queue-375")
    assert page.js_errors == []
