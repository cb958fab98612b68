"""Bringing a source in as an editor does it: paste, upload (HTML, PDF) or give an address; preview; save.

And rating a source on one timeline while another timeline citing it keeps its own judgement.
"""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from factline.models import Membership, Source
from factline.models.timelines import Role, Status
from factline.services import (
    citation_create,
    entry_create,
    entry_set_status,
    source_import,
    timeline_create,
    timeline_share,
)
from tests.browser.conftest import follow, login, screenshot
from tests.conftest import PASSWORD, stored
from tests.pdfs import pdf_with_text

PAGES = Path(__file__).resolve().parents[1] / "data" / "pages"


@pytest.fixture
def editor(transactional_db):
    users = get_user_model().objects
    owner = users.create_user(username="olivia", password=PASSWORD)
    editor = users.create_user(username="edgar", password=PASSWORD)
    timeline = timeline_create(actor=owner, title="Sahel watch")
    Membership.objects.create(timeline=timeline, user=editor, role=Role.EDITOR)
    return editor


def open_new_source(page) -> None:
    login(page, "edgar", PASSWORD)
    page.goto(reverse("source-list"))
    follow(page.get_by_role("link", name="New source"))


def citable_texts(page) -> list[str]:
    return page.locator(".passage-text[data-passage]").all_inner_texts()


def test_an_editor_pastes_an_article_previews_it_and_saves_it(page, editor):
    open_new_source(page)
    page.get_by_label("Title").fill("Council ends MINUSMA")
    page.get_by_label("Article").fill(
        "The Security Council voted on Friday to end the mission.\n\n"
        "The peacekeepers leave by December 31.\n\nLeave a Reply\nGreat article!"
    )
    screenshot(page, "source-new")
    follow(page.get_by_role("button", name="Preview", exact=True).first)
    assert Source.objects.count() == 0  # nothing is stored before Save
    assert page.locator(".preview-passages li").count() == 5
    assert page.locator(".preview-passages details.boilerplate-fold").count() == 2  # folded: not citable
    page.get_by_label("Publisher").fill("UN News")
    screenshot(page, "source-preview-paste")
    follow(page.get_by_role("button", name="Save source"))
    assert page.locator("h1").inner_text() == "Council ends MINUSMA"
    assert citable_texts(page) == [
        "Council ends MINUSMA",
        "The Security Council voted on Friday to end the mission.",
        "The peacekeepers leave by December 31.",
    ]
    assert "UN News" in page.locator(".source-meta").inner_text()
    assert page.js_errors == []


def test_an_uploaded_page_keeps_only_its_article_citable(page, editor):
    open_new_source(page)
    page.get_by_label("File", exact=True).set_input_files(
        str(PAGES / "wire-cookie.html")
    )  # nav, ads, scripts, cookie banner
    follow(page.get_by_role("button", name="Preview", exact=True).nth(1))
    details = page.locator(".preview-details")
    assert details.get_by_label("Title").input_value() == "Mali's junta orders UN mission out 'without delay'"
    assert details.get_by_label("Publisher").input_value() == "Sahel Daily"
    assert details.get_by_label("Publication date").input_value() == "16 June 2023"
    screenshot(page, "source-preview-html")
    follow(page.get_by_role("button", name="Save source"))
    texts = citable_texts(page)
    assert (
        "Abdoulaye Diop said the mission had become part of the problem by fuelling community tensions, an "
        in (texts[2][:100])
    )
    whole = " ".join(texts)
    for noise in ("cookies", "Accept all", "Share on", "trackArticle", "Related stories", "Photo:", "Subscribe"):
        assert noise not in whole
    with page.expect_download() as download:
        page.get_by_role("link", name="Original as received").click()
    assert Path(download.value.path()).read_bytes() == (PAGES / "wire-cookie.html").read_bytes()
    screenshot(page, "source-from-html")
    assert page.js_errors == []


def test_an_uploaded_pdf_becomes_a_source(page, editor, tmp_path):
    pdf = tmp_path / "resolution-2690.pdf"
    pdf.write_bytes(
        pdf_with_text(
            "Resolution 2690 (2023)",
            ["The Security Council decides to terminate the mandate of MINUSMA.", "Decides to remain seized."],
        )
    )
    open_new_source(page)
    page.get_by_label("File", exact=True).set_input_files(str(pdf))
    follow(page.get_by_role("button", name="Preview", exact=True).nth(1))
    follow(page.get_by_role("button", name="Save source"))
    assert citable_texts(page)[:2] == [
        "Resolution 2690 (2023)",
        "The Security Council decides to terminate the mandate of MINUSMA.",
    ]
    assert "application/pdf" in page.locator(".source-meta").inner_text()


def test_a_page_is_fetched_by_its_address_through_a_redirect_and_a_second_time_refused_with_a_link(
    page, editor, page_server, settings
):
    settings.FACTLINE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]  # the live server runs in this process
    open_new_source(page)
    page.get_by_label("Web address", exact=True).fill(page_server.url("/moved"))
    follow(page.get_by_role("button", name="Fetch and preview"))
    assert page_server.url("/article-plain.html") in page.locator("main > p.muted").inner_text()
    assert page.get_by_label("Author").input_value() == "Amadou Diallo"
    follow(page.get_by_role("button", name="Save source"))
    source = Source.objects.get()
    assert source.original.final_address == page_server.url("/article-plain.html")

    page.goto(reverse("source-create"))
    page.get_by_label("Web address", exact=True).fill(page_server.url("/article-plain.html"))
    follow(page.get_by_role("button", name="Fetch and preview"))
    error = page.locator("#address_url_error")
    assert f"This address was already imported as source {source.pk}" in error.inner_text()
    screenshot(page, "source-duplicate")
    before = stored()
    follow(page.get_by_role("link", name=f"Open “{source.title}”, already in the library"))
    assert page.url.endswith(source.get_absolute_url())
    assert stored() == before


def test_a_private_address_is_refused_beside_the_field_with_nothing_stored(new_page, editor):
    page = new_page(javascript=False)
    open_new_source(page)
    page.get_by_label("Web address", exact=True).fill("http://192.168.1.1/admin")
    follow(page.get_by_role("button", name="Fetch and preview"))
    assert "private network address" in page.locator("#address_url_error").inner_text()
    assert page.get_by_label("Web address", exact=True).input_value() == "http://192.168.1.1/admin"
    assert stored() == (0, 0, 0, 0, 0, 0)
    screenshot(page, "source-refused")


def test_rating_a_source_on_one_timeline_leaves_the_other_timeline_unchanged(page, editor):
    users = get_user_model().objects
    owner = users.get(username="olivia")
    ours = Membership.objects.get(user=editor).timeline
    other_owner = users.create_user(username="otto", password=PASSWORD)
    theirs = timeline_create(actor=other_owner, title="Other desk")
    Membership.objects.create(timeline=theirs, user=editor, role=Role.EDITOR)
    source = source_import(
        data=b"Prepper news\n\nThe mission leaves Mali by December.\n", origin="prepper.txt", publisher="Prepper site"
    )
    for timeline, actor in ((ours, owner), (theirs, other_owner)):
        entry = entry_create(actor=actor, timeline=timeline, start=datetime.date(2023, 12, 31), headline="Withdrawal")
        citation_create(actor=actor, entry=entry, passage=source.passages.get(number=2))
        entry_set_status(entry=entry, actor=actor, status=Status.PUBLISHED)
        timeline_share(timeline=timeline, actor=actor)
    ours.refresh_from_db()
    theirs.refresh_from_db()

    login(page, "edgar", PASSWORD)
    page.goto(f"{source.get_absolute_url()}?timeline={ours.slug}")
    follow(page.get_by_role("link", name="Rate it"))
    page.get_by_label("Reliability").select_option(label="Unreliable")
    page.get_by_label("Reason for the rating").fill("Sells prepper gear between paragraphs.")
    screenshot(page, "source-rate")
    follow(page.get_by_role("button", name="Save rating"))
    assert "Unreliable" in page.locator(".working-rating").inner_text()
    assert page.locator(".source-ratings .ratings").all_inner_texts() == [
        "Sahel watch: Unreliable Sells prepper gear between paragraphs."
    ]

    page.goto(reverse("public-timeline", args=[ours.public_token]))
    assert "Rated unreliable: Sells prepper gear between paragraphs." in page.locator(".footnotes").inner_text()
    page.goto(reverse("public-timeline", args=[theirs.public_token]))
    assert "Rated" not in page.locator(".footnotes").inner_text()
    page.goto(theirs.get_absolute_url())
    assert "Rated" not in page.locator(".citations").inner_text()  # the other editor page shows no rating
    page.goto(ours.get_absolute_url())
    assert "Rated unreliable here" in page.locator(".citations").inner_text()
    page.goto(f"{source.get_absolute_url()}?timeline={theirs.slug}")
    assert "Not rated" in page.locator(".working-rating").inner_text()
    screenshot(page, "source-ratings")
    assert page.js_errors == []


def test_the_new_source_pages_fit_a_phone(new_page, editor):
    page = new_page(width=375, height=800)
    open_new_source(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "source-new-phone")
    page.get_by_label("File", exact=True).set_input_files(str(PAGES / "magazine-longform.html"))
    follow(page.get_by_role("button", name="Preview", exact=True).nth(1))
    assert page.locator(".preview-passages li").count() >= 10
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "source-preview-phone")
    assert page.js_errors == []
