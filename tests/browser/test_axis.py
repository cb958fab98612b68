"""Readers see time: the axis on the demo timeline, zoom, the embed framed by another site, checked by vnu and axe."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from django.urls import reverse

from factline import dates
from factline.models import Entry, Timeline
from factline.models.timelines import Status
from factline.services import timeline_share
from tests.browser.conftest import ARTIFACTS, follow, screenshot

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def demo(transactional_db, seeded) -> Timeline:
    return timeline_share(timeline=Timeline.objects.get(pk=seeded.pk), actor=None)


def link(timeline: Timeline) -> str:
    return reverse("public-timeline", args=[timeline.public_token])


def expected_kind(entry: Entry) -> str:
    if entry.end:
        return "span"
    return "point" if entry.precision == dates.DAY else "bar"


def marks_on(page) -> dict[int, dict]:
    """The entry marks the axis draws, by entry: their kind and classes."""
    return {
        int(entry): {"kind": kind, "classes": classes.split()}
        for entry, kind, classes in page.locator("a.axis-mark").evaluate_all(
            "marks => marks.map(m => [m.dataset.entry, m.dataset.kind, m.getAttribute('class')])"
        )
    }


def test_the_demo_axis_has_a_mark_of_the_right_kind_per_published_entry_and_zoom_narrows_it(demo, new_page):
    published = {
        entry.pk: entry
        for entry in Entry.objects.filter(timeline=demo, status=Status.PUBLISHED).prefetch_related("citations")
    }
    page = new_page()
    page.goto(link(demo))
    axis = page.locator("#timeline-axis")
    assert axis.get_by_role("group", name="Time axis of “Mali and the end of MINUSMA”, 2012–2024").is_visible()
    seen = marks_on(page)
    # A crowded year is one cluster with its count; each cluster's link zooms to that year, mark by mark.
    clusters = page.locator("a.axis-cluster").evaluate_all("cs => cs.map(c => [c.dataset.year, c.dataset.count])")
    assert len(seen) + sum(int(count) for _year, count in clusters) == len(published)
    for year, count in clusters:
        follow(page.locator(f"a.axis-cluster[data-year='{year}']"))
        assert page.locator(".axis-range").inner_text() == year
        in_year = {pk: mark for pk, mark in marks_on(page).items() if published[pk].start.year == int(year)}
        assert len(in_year) == int(count) and page.locator("a.axis-cluster").count() == 0
        seen |= in_year
        screenshot(page, f"axis-demo-zoomed-{year}")
        page.go_back()
    assert set(seen) == set(published)
    for pk, entry in published.items():
        assert seen[pk]["kind"] == expected_kind(entry), entry
        assert ("is-fuzzy" in seen[pk]["classes"]) == entry.approximate, entry
        assert ("is-disputed" in seen[pk]["classes"]) == entry.disputed, entry
    assert {expected_kind(entry) for entry in published.values()} == {"point", "bar", "span"}
    assert sum(entry.disputed for entry in published.values()) >= 3

    # Zoom in by its link: a narrower range of years, fewer marks.
    follow(page.get_by_role("navigation", name="Zoom the time axis").get_by_role("link", name="Zoom in"))
    assert page.locator(".axis-range").inner_text() == "2015–2020"
    assert page.locator(".axis-labels text").all_text_contents() == [str(year) for year in range(2015, 2021)]
    assert 0 < page.locator("a.axis-mark").count() < len(published)
    assert page.js_errors == []


def test_a_mark_leads_to_its_entry_which_is_then_highlighted_on_the_axis(demo, new_page):
    page = new_page()
    page.goto(link(demo))
    mark = page.locator("a.axis-mark.is-disputed").first
    entry_id = mark.get_attribute("data-entry")
    headline = mark.locator("title").text_content().split(": ", 1)[1].removesuffix(" (disputed)")
    mark.click()
    page.wait_for_url(f"**#entry-{entry_id}")
    entry = page.locator(f"#entry-{entry_id}")
    assert headline in entry.locator(".p-headline").inner_text()
    # The axis follows the reader down the page, and the entry lands below it, not under it.
    figure = page.locator("#timeline-axis").bounding_box()
    assert figure["y"] == pytest.approx(0, abs=2)
    assert entry.bounding_box()["y"] >= figure["y"] + figure["height"] - 1
    # A function, not a bare expression: Playwright polls an expression with eval, which the CSP forbids.
    page.wait_for_function(
        "id => document.querySelector(`a.axis-mark[data-entry='${id}']`).classList.contains('is-current')", arg=entry_id
    )
    assert page.locator("a.axis-mark.is-current").count() == 1
    page.screenshot(path=str(ARTIFACTS / "axis-demo-following.png"))  # the screen, where the axis stays
    assert page.js_errors == []


def test_dragging_across_the_axis_zooms_to_the_years_dragged_over(demo, new_page):
    page = new_page()
    page.goto(link(demo))
    plot = page.locator(".axis-plot").bounding_box()
    year = plot["width"] / 13  # 2012–2024
    y = plot["y"] + plot["height"] - 30
    page.mouse.move(plot["x"] + 8.5 * year, y)
    page.mouse.down()
    page.mouse.move(plot["x"] + 10 * year, y, steps=5)
    page.mouse.move(plot["x"] + 11.5 * year, y, steps=5)
    with page.expect_navigation():
        page.mouse.up()
    assert page.url.endswith("?from=2020&to=2023#timeline-axis")
    assert page.locator(".axis-range").inner_text() == "2020–2023"
    assert page.js_errors == []


@pytest.mark.parametrize("width", [1280, 375])
def test_without_javascript_the_axis_shows_zooms_by_links_and_fits_the_screen(demo, new_page, width):
    page = new_page(javascript=False, width=width)
    page.goto(link(demo))
    assert page.locator("svg.axis").is_visible() and page.locator("a.axis-mark").count() >= 10
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(page, f"axis-demo-nojs-{width}")
    follow(page.locator("a.axis-year", has_text="2022"))
    assert page.locator(".axis-range").inner_text() == "2022"
    assert page.locator(".axis-labels text").all_text_contents()[:3] == ["Jan", "Feb", "Mar"]
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    follow(page.get_by_role("link", name="Show all years, 2012 to 2024"))
    assert page.locator(".axis-range").inner_text() == "2012–2024"
    page.emulate_media(media="print")
    assert page.locator("svg.axis").is_visible() and not page.locator(".axis-zoom").is_visible()
    labels = page.locator(".axis-labels text:visible").all_text_contents()
    assert labels[0] == "2012" and (width == 375 or len(labels) == 13)


def test_the_editor_sees_the_axis_of_every_entry_with_drafts_dashed(demo, new_page):
    from django.contrib.auth import get_user_model

    from factline.models import Membership
    from tests.browser.conftest import login
    from tests.conftest import PASSWORD

    user = get_user_model().objects.create_user(username="reader-editor", password=PASSWORD)
    Membership.objects.create(timeline=demo, user=user, role="editor")
    for width in (1280, 375):
        page = new_page(width=width)
        login(page, "reader-editor", PASSWORD)
        page.goto(demo.get_absolute_url())
        figure = page.locator("#timeline-axis")
        assert figure.is_visible()
        entries = Entry.objects.filter(timeline=demo).count()
        clusters = sum(
            int(c) for c in page.locator("a.axis-cluster").evaluate_all("cs => cs.map(c => c.dataset.count)")
        )
        assert page.locator("a.axis-mark").count() + clusters == entries
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        screenshot(page, f"axis-editor-{width}")
        assert page.js_errors == []
    # Filtering swaps the list (htmx) and the axis with it, which still follows the reading.
    page.get_by_label("Show").select_option("disputed")
    page.wait_for_function("() => document.querySelectorAll('#timeline-axis a.axis-mark').length === 4")
    assert page.locator("a.axis-mark.is-disputed").count() == 4 and page.locator("a.axis-cluster").count() == 0
    last = page.locator("#entry-list > li.entry").last
    last.scroll_into_view_if_needed()
    page.wait_for_function(
        "id => document.querySelector(`a.axis-mark[data-entry='${id}']`).classList.contains('is-current')",
        arg=last.get_attribute("id").removeprefix("entry-"),
    )
    assert page.js_errors == []


class _Host(BaseHTTPRequestHandler):
    """Another site: a page that frames the embed and, below it, the normal public page."""

    pages: dict[str, bytes] = {}

    def do_GET(self):
        body = self.pages.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args):
        pass


@pytest.fixture
def other_site():
    """A second local origin (an ephemeral port on 127.0.0.1), serving what `_Host.pages` holds."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Host)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    _Host.pages = {}


def test_the_embed_renders_in_a_frame_on_another_site_which_cannot_frame_the_public_page(
    demo, new_page, live_server, other_site
):
    embed = live_server.url.replace("127.0.0.1", "localhost") + reverse("public-embed", args=[demo.public_token])
    public = live_server.url.replace("127.0.0.1", "localhost") + link(demo)
    _Host.pages["/news.html"] = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A news site</title></head>'
        "<body><h1>Our story on Mali</h1>"
        f'<iframe id="embed" src="{embed}" width="720" height="640" title="The timeline"></iframe>'
        f'<iframe id="page" src="{public}" width="720" height="300" title="The public page"></iframe>'
        "</body></html>"
    ).encode()
    page = new_page(width=1000)
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "frame-ancestors" in message.text else None)
    page.goto(other_site + "/news.html")
    frame = page.frame_locator("#embed")
    frame.locator("svg.axis").wait_for()
    assert frame.locator("a.axis-mark").count() >= 10
    assert frame.locator(".embed-title").inner_text() == "Mali and the end of MINUSMA"
    # The sources are folded; a reader opens them in place.
    sources = frame.locator("details.embed-sources").first
    assert not sources.locator(".footnotes").is_visible()
    sources.locator("summary").click()
    assert sources.locator(".footnotes").is_visible()
    page.wait_for_timeout(300)
    assert any("frame-ancestors 'none'" in text for text in refused)
    public_frame = page.frame(url=lambda url: "/embed/" not in url and "/p/" in url) or page.frames[-1]
    assert public_frame.evaluate("document.querySelector('.p-timeline')") is None
    screenshot(page, "axis-embed-on-another-site")


def test_the_pages_with_the_axis_pass_the_nu_html_checker_and_axe(demo, new_page, vnu, axe):
    client = Client()
    snapshot_url = reverse("snapshot-create", args=[demo.slug])
    from factline.services import snapshot_create

    snapshot = snapshot_create(timeline=demo, actor=None)
    documents = {
        "public page": client.get(link(demo)).text,
        "public page zoomed": client.get(link(demo) + "?from=2023&to=2023").text,
        "snapshot page": client.get(snapshot.get_absolute_url()).text,
        "embed": client.get(reverse("public-embed", args=[demo.public_token])).text,
        "turned off": client.get(reverse("public-timeline", args=["gone" * 10])).text,
    }
    assert snapshot_url  # the owner's page is checked by the editor tests of issue 15
    assert vnu(documents) == []
    page = new_page()
    for url in (link(demo), link(demo) + "?from=2023&to=2023", reverse("public-embed", args=[demo.public_token])):
        page.goto(url)
        assert axe(page) == [], url
        assert axe(page, "#timeline-axis") == [], url
