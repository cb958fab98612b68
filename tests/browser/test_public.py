"""Readers with no account: the shared link, footnotes to passages in context, downloads, snapshots, TimelineJS."""

import datetime
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from factline.models import Timeline
from factline.models.timelines import Status
from factline.services import (
    citation_create,
    entry_create,
    entry_set_status,
    entry_update,
    timeline_revoke,
    timeline_share,
)
from tests.browser.conftest import ARTIFACTS, follow, login, screenshot
from tests.conftest import PASSWORD
from tests.test_public import SECRETS, build_story

TIMELINEJS = "@knight-lab/timelinejs@3.9.11"
# Installed at test time (MPL-2.0, 2.5 MB of dist), cached outside the repository's tracked files.
TIMELINEJS_DIR = ARTIFACTS / "cache" / "timelinejs-3.9.11"
HARNESS = "/__timelinejs__/"


@pytest.fixture
def story(transactional_db, make_user, source):
    story = build_story(make_user, source)
    timeline_revoke(timeline=story.timeline, actor=story.owner)
    return story


def share_link(owner_page, story) -> str:
    """The owner turns the public link on from the share page and copies it."""
    login(owner_page, "qzowner", PASSWORD)
    owner_page.goto(story.timeline.get_absolute_url())
    follow(owner_page.get_by_role("navigation", name="Timeline").get_by_role("link", name="Share"))
    follow(owner_page.get_by_role("button", name="Turn the public link on"))
    return owner_page.get_by_role("textbox", name="Public link").input_value()


def test_a_reader_opens_the_link_follows_a_footnote_and_downloads_each_export(story, new_page, tmp_path):
    owner = new_page()
    link = share_link(owner, story)
    screenshot(owner, "sharing-settings")

    reader = new_page(javascript=False)
    assert reader.goto(link).status == 200
    assert reader.get_by_role("heading", level=1).inner_text() == "Sahel watch"
    headlines = reader.locator(".p-headline").all_inner_texts()
    assert [h.rstrip("0123456789") for h in headlines] == ["MINUSMA deploys", "The Security Council ends MINUSMA"]
    body = reader.locator("body").inner_text()
    for secret in SECRETS:
        assert secret not in body, secret
    assert reader.locator(".p-entry.is-disputed .dispute").count() == 1
    screenshot(reader, "public-timeline-desktop")

    follow(reader.locator("#fn-2").get_by_role("link", name="In context"))
    assert reader.get_by_role("heading", level=1).inner_text() == "Mali votes"
    assert reader.locator("mark").inner_text() == "voted unanimously"
    assert reader.locator(".p-passage").count() == 3
    screenshot(reader, "public-passage-desktop")
    follow(reader.get_by_role("link", name="← Back to “Sahel watch”"))
    assert reader.url.endswith("#fn-2")  # the footnote the reader left from

    names = {}
    for label in ("JSON", "CSV", "TimelineJS", "Markdown"):
        with reader.expect_download() as download:
            reader.get_by_role("navigation", name="Downloads").get_by_role("link", name=label).click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        names[label] = path.name
        text = path.read_text(encoding="utf-8")
        assert "MINUSMA deploys" in text and "DRAFT-HEADLINE" not in text
    assert names == {
        "JSON": "sahel-watch.json",
        "CSV": "sahel-watch.csv",
        "TimelineJS": "sahel-watch.timelinejs.json",
        "Markdown": "sahel-watch.md",
    }

    owner.get_by_role("button", name="Turn the link off").click()
    owner.get_by_role("heading", name="Turn the public link off?").wait_for()
    assert reader.goto(link).status == 200  # not until the owner confirms
    screenshot(owner, "share-confirm-off")
    follow(owner.get_by_role("button", name="Turn the link off"))
    assert owner.get_by_text("The link is off").is_visible()
    assert reader.goto(link).status == 410
    assert reader.get_by_role("heading", level=1).inner_text() == "This link was turned off by its owner"
    screenshot(reader, "public-link-turned-off")
    assert reader.goto(link + "export/json/").status == 410


FOOTNOTE_TARGETS = """() => {
    const marks = [...document.querySelectorAll('.ref a, .dispute a[href^="#fn-"]')];
    const missed = marks.filter(mark => {
        mark.scrollIntoView({block: 'center'});
        const box = mark.getBoundingClientRect();
        const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
        return ![[-13, 0], [13, 0], [0, -17], [0, 17]].every(([dx, dy]) =>
            document.elementFromPoint(x + dx, y + dy)?.closest('a') === mark);
    }).map(mark => mark.textContent);
    const uneven = [...document.querySelectorAll('.p-headline')].filter(headline => {
        const lines = headline.getBoundingClientRect().height / parseFloat(getComputedStyle(headline).lineHeight);
        return Math.abs(lines - Math.round(lines)) > 0.05;
    }).map(headline => headline.textContent);
    return {marks: marks.length, missed, uneven};
}"""


def test_the_public_pages_fit_a_phone_and_print(story, new_page):
    link = share_link(new_page(), story)
    phone = new_page(width=375, height=800)
    phone.goto(link)
    # Nothing wider than the screen: no sideways scrolling on a 375-pixel phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "public-timeline-phone")
    # Each footnote mark answers a finger 28 by 36 pixels around its middle, and the headlines keep
    # whole lines (a taller mark would push its line apart).
    assert phone.evaluate(FOOTNOTE_TARGETS) == {"marks": 5, "missed": [], "uneven": []}
    follow(phone.get_by_role("banner").get_by_role("link", name="Factline"))
    assert phone.get_by_role("heading", level=1).inner_text() == "Public timelines"
    phone.go_back()
    follow(phone.locator("#fn-3").get_by_role("link", name="In context"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "public-passage-phone")
    phone.goto(link)
    address = phone.locator(".print-address")
    assert address.is_hidden()  # on screen the address bar says it
    phone.emulate_media(media="print")
    assert not phone.get_by_role("navigation", name="Downloads").is_visible()
    # A printout names the timeline, where it is online, and where each source link goes.
    assert phone.get_by_role("banner").get_by_text("Factline").is_visible()
    assert phone.get_by_role("heading", level=1).inner_text() == "Sahel watch"
    assert address.inner_text() == f"Online at {link}"
    context_link = phone.locator("#fn-1").get_by_role("link", name="In context")
    passage = context_link.get_attribute("href").split("?")[0]
    assert printed_after(context_link) == f" <{phone.url.split('/p/')[0]}{passage}>"
    assert printed_after(phone.locator("#fn-3 a.original")) == " <https://other.example/vote>"
    assert "http" not in printed_after(phone.locator(".ref a").first)  # nor the in-page marks
    phone.set_viewport_size({"width": 720, "height": 1000})
    screenshot(phone, "public-timeline-print")
    follow(context_link)
    assert phone.get_by_text("Cited in the timeline “Sahel watch”, online at").is_visible()
    assert phone.locator(".print-address").inner_text() == f"Online at {phone.url.split('?')[0]}"
    screenshot(phone, "public-passage-print")
    assert phone.js_errors == []


def printed_after(locator) -> str:
    """What print adds after a link (its address), as the computed `::after` content."""
    content = locator.evaluate("link => getComputedStyle(link, '::after').content")
    return json.loads(content) if content.startswith('"') else content


def test_a_snapshot_link_keeps_showing_the_old_text_after_an_edit(story, new_page):
    owner = new_page()
    share_link(owner, story)
    follow(owner.get_by_role("button", name="Share a snapshot"))
    assert owner.get_by_text("Shared a snapshot.").is_visible()
    snapshot_link = owner.get_by_role("textbox", name="Link to the snapshot").input_value()
    row = owner.locator(".snapshots li")
    assert "Shared by Quillon Zebedee on" in row.inner_text()
    for width in (1280, 375):
        owner.set_viewport_size({"width": width, "height": 900})
        field, withdraw = row.get_by_role("textbox").bounding_box(), row.get_by_role("button").bounding_box()
        # Withdraw sits on the link's line, not wrapped onto one of its own.
        assert abs(withdraw["y"] + withdraw["height"] / 2 - (field["y"] + field["height"] / 2)) < 4, width
        assert owner.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(owner, "sharing-snapshots-phone")
    owner.set_viewport_size({"width": 1280, "height": 900})

    entry_update(entry=story.vote, actor=story.owner, headline="Renamed after the snapshot", reason="typo")

    reader = new_page(javascript=False)
    reader.goto(snapshot_link)
    assert "Snapshot: this is the timeline as it stood on" in reader.locator(".snapshot-note").inner_text()
    assert reader.get_by_role("heading", name="The Security Council ends MINUSMA").is_visible()
    assert reader.get_by_text("Renamed after the snapshot").count() == 0
    screenshot(reader, "public-snapshot-desktop")
    reader.goto(owner.get_by_role("textbox", name="Public link").input_value())
    assert reader.get_by_role("heading", name="Renamed after the snapshot").is_visible()

    # Turning the link off leaves the snapshot readable, and the owner is told so before and after.
    owner.get_by_role("button", name="Turn the link off").click()
    owner.get_by_role("heading", name="Turn the public link off?").wait_for()
    assert "The snapshot link stays readable by anyone who has it" in owner.locator("main").inner_text()
    screenshot(owner, "share-confirm-off-with-snapshot")
    follow(owner.get_by_role("button", name="Turn the link off"))
    section = owner.get_by_role("region", name="Public link")
    assert "The snapshot link below stays readable by anyone who has it until you withdraw it." in section.inner_text()
    assert "only members can read" not in section.inner_text()
    screenshot(owner, "sharing-off-with-snapshot")
    assert reader.goto(snapshot_link).status == 200


def test_a_listed_timeline_is_found_in_the_paged_public_list(story, new_page):
    Timeline.objects.bulk_create([Timeline(slug=f"a-{i:02}", title=f"A report {i:02}", listed=True) for i in range(60)])
    owner = new_page()
    share_link(owner, story)
    follow(owner.get_by_role("button", name="List it publicly"))
    assert owner.get_by_text("Listed publicly.").is_visible()
    for width in (1280, 375):
        reader = new_page(javascript=False, width=width)
        reader.goto(reverse("public-list"))
        assert reader.get_by_text("Page 1 of 2").is_visible()
        assert reader.get_by_role("link", name="Sahel watch").count() == 0  # "A report ..." come first
        follow(reader.get_by_role("link", name="Next →"))
        assert reader.get_by_text("Page 2 of 2").is_visible()
        assert reader.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(reader, f"public-list-{width}")
        follow(reader.get_by_role("link", name="Sahel watch"))
        assert reader.url.endswith(reverse("listed-timeline", args=[story.timeline.slug]))
        assert reader.get_by_role("heading", level=1).inner_text() == "Sahel watch"
        canonical = reader.locator('link[rel="canonical"]').get_attribute("href")
        assert canonical == reader.url


# TimelineJS 3, installed from the npm registry at test time, must render our export as it is.


@pytest.fixture(scope="session")
def timelinejs() -> Path:
    dist = TIMELINEJS_DIR / "node_modules" / "@knight-lab" / "timelinejs" / "dist"
    if (dist / "js" / "timeline.js").exists():
        return dist
    npm = shutil.which("npm")
    if npm is None:
        message = f"npm not found: it installs {TIMELINEJS} for the TimelineJS test (apt-get install -y npm)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI=true makes this test mandatory.", pytrace=False)
        pytest.skip(message)
    TIMELINEJS_DIR.mkdir(parents=True, exist_ok=True)
    command = [
        npm,
        "install",
        "--prefix",
        str(TIMELINEJS_DIR),
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
    ]
    installed = subprocess.run([*command, TIMELINEJS], capture_output=True, text=True, timeout=300, check=False)
    if installed.returncode != 0 or not (dist / "js" / "timeline.js").exists():
        pytest.fail(f"npm could not install {TIMELINEJS}:\n{installed.stderr[-2000:]}", pytrace=False)
    return dist


def render_in_timelinejs(page, dist: Path, export_url: str) -> dict:
    """Load TimelineJS from `dist` on the live server's origin, give it our export, and report what it made."""

    def serve(route):
        name = route.request.url.split(HARNESS, 1)[1].split("?")[0].split("#")[0]
        if name == "index.html":
            html = (
                '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>TimelineJS</title>'
                f'<link rel="stylesheet" href="{HARNESS}css/timeline.css">'
                f'<script src="{HARNESS}js/timeline.js"></script></head>'
                '<body><div id="timeline"></div></body></html>'
            )
            return route.fulfill(body=html, content_type="text/html")
        path = (dist / name).resolve()
        if dist.resolve() in path.parents and path.is_file():
            return route.fulfill(path=str(path))
        return route.fulfill(status=404, body="")

    page.route(f"**{HARNESS}**", serve)
    page.goto(HARNESS + "index.html")
    page.evaluate(
        """async (url) => {
            const data = await (await fetch(url)).json();
            window.slideCount = null;
            document.getElementById('timeline').style.height = '600px';
            // Everything from the installed package: its default font would come from Google's CDN.
            const options = {script_path: location.origin + '/__timelinejs__/js/', font: 'georgia-helvetica'};
            const timeline = new TL.Timeline('timeline', data, options);
            timeline.on('loaded', () => { window.slideCount = document.querySelectorAll('.tl-slide').length; });
            window.timeline = timeline;
        }""",
        export_url,
    )
    page.wait_for_function(
        "window.slideCount !== null || (window.timeline.config && !window.timeline.config.isValid())"
    )
    return page.evaluate(
        """() => ({
            errors: window.timeline.config.getErrors(),
            events: window.timeline.config.events.map(e => e.unique_id),
            slides: window.slideCount,
            headline: document.querySelector('.tl-slide-titleslide .tl-headline').textContent,
        })"""
    )


def test_the_demo_timelinejs_export_loads_in_timelinejs_with_a_slide_per_published_entry(
    transactional_db, seeded, new_page, timelinejs, live_server
):
    timeline = Timeline.objects.get(pk=seeded.pk)
    published = list(
        timeline.entries.filter(status=Status.PUBLISHED).order_by("start", "id").values_list("pk", flat=True)
    )
    token = timeline_share(timeline=timeline, actor=None).public_token
    page = new_page(width=1100)
    result = render_in_timelinejs(page, timelinejs, reverse("public-export", args=[token, "timelinejs"]))
    assert result["errors"] == []
    assert sorted(result["events"]) == sorted(f"entry-{pk}" for pk in published)
    assert result["slides"] == len(published) + 1  # the title slide, then one per entry
    assert result["headline"] == timeline.title
    screenshot(page, "timelinejs-demo")
    assert page.js_errors == []


def test_a_timelinejs_export_with_disputes_and_partial_dates_loads_in_timelinejs(story, new_page, timelinejs):
    span = entry_create(
        actor=story.owner,
        timeline=story.timeline,
        start=datetime.date(2012, 1, 1),
        precision="year",
        approximate=True,
        end=datetime.date(2013, 1, 1),
        end_precision="month",
        headline="Insurgency & coup <in the north>",
    )
    citation_create(actor=story.owner, entry=span, passage=story.vote.citations.first().passage)
    entry_set_status(entry=span, actor=story.owner, status=Status.PUBLISHED)
    token = timeline_share(timeline=story.timeline, actor=story.owner).public_token
    page = new_page(width=1100)
    result = render_in_timelinejs(page, timelinejs, reverse("public-export", args=[token, "timelinejs"]))
    assert result["errors"] == [] and result["slides"] == 4
    assert result["events"] == [f"entry-{pk}" for pk in (span.pk, story.deployed.pk, story.vote.pk)]
    page.locator(".tl-slidenav-next").click()
    spanned = page.locator(".tl-slide", has_text="Insurgency & coup <in the north>")
    expect(spanned.locator(".tl-headline-date")).to_have_text("c. 2012 – January 2013")
    for _ in range(2):  # on to the disputed entry, as a reader would
        page.locator(".tl-slidenav-next").click()
    page.wait_for_function(f"window.timeline.current_id === 'entry-{story.vote.pk}'")
    disputed = page.locator(".tl-slide", has_text="Disputed: the sources disagree")
    assert disputed.count() == 1 and "the vote was not unanimous" in disputed.inner_text()
    expect(disputed.locator(".tl-headline")).to_be_in_viewport()
    screenshot(page, "timelinejs-story")
    assert page.js_errors == []


def test_the_demo_public_page_shows_every_published_entry_and_fits_a_phone(transactional_db, seeded, new_page):
    timeline = Timeline.objects.get(pk=seeded.pk)
    published = timeline.entries.filter(status=Status.PUBLISHED).count()
    link = reverse("public-timeline", args=[timeline_share(timeline=timeline, actor=None).public_token])
    for width, name in ((1280, "public-demo-desktop"), (375, "public-demo-phone")):
        page = new_page(width=width)
        page.goto(link)
        assert page.locator(".p-entry").count() == published
        assert page.locator(".p-entry.is-disputed .dispute").count() >= 3
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, name)
        assert page.js_errors == []
