"""The time axis on the pages, the embed other sites frame, oEmbed, the card image, and turned-off links."""

import datetime
import io
import json
import re

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from factline import cards
from factline.models.timelines import Status
from factline.services import (
    entry_create,
    entry_update,
    snapshot_create,
    snapshot_revoke,
    timeline_revoke,
    timeline_set_listed,
    timeline_share,
)
from tests.test_public import build_story, login

MARK = re.compile(
    r'<a href="#entry-(\d+)" class="axis-mark ([^"]*)" data-entry="\d+" data-kind="(\w+)"><title>([^<]*)</title>'
)


@pytest.fixture
def story(make_user, source):
    return build_story(make_user, source)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def link(story) -> str:
    return reverse("public-timeline", args=[story.timeline.public_token])


# The axis on the pages


def test_the_public_page_draws_a_named_mark_per_published_entry_above_the_list(client, story):
    text = client.get(link(story)).text
    marks = MARK.findall(text)
    assert [(int(pk), kind) for pk, _classes, kind, _name in marks] == [
        (story.deployed.pk, "bar"),
        (story.vote.pk, "point"),
    ]
    assert "is-disputed" in marks[1][1] and "is-disputed" not in marks[0][1]
    assert marks[1][3] == "30 June 2023: The Security Council ends MINUSMA (disputed)"
    assert '<title id="axis-title">Time axis of “Sahel watch”, 2013–2023</title>' in text
    assert '<desc id="axis-desc">2 entries from 2013–2023; 1 on a day, 1 in a month or year' in text
    assert text.index('id="timeline-axis"') < text.index('id="year-2013"')
    assert "DRAFT-HEADLINE" not in text


def test_the_snapshot_page_draws_the_axis_as_it_stood(client, story):
    snapshot = snapshot_create(timeline=story.timeline, actor=story.owner)
    entry_update(entry=story.vote, actor=story.owner, headline="Renamed later")
    text = client.get(snapshot.get_absolute_url()).text
    assert "<title>30 June 2023: The Security Council ends MINUSMA (disputed)</title>" in text
    assert "Renamed later" not in text


def test_zoom_links_narrow_the_range_and_change_the_etag(client, story):
    whole = client.get(link(story))
    assert '<a href="?from=2013&amp;to=2013#timeline-axis" class="axis-year">' in whole.text
    zoomed = client.get(link(story) + "?from=2020&to=2023")
    assert "2020–2023" in zoomed.text and len(MARK.findall(zoomed.text)) == 1
    assert "1 earlier entry not on the axis as zoomed; the list below has them all." in zoomed.text
    assert zoomed["ETag"] != whole["ETag"]
    again = client.get(link(story) + "?from=2020&to=2023", headers={"If-None-Match": zoomed["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("query", ["?from=abc", "?from=2013&to=%00", "?to=" + "9" * 3000, "?from=-5&to=1e9"])
def test_a_zoom_that_is_not_years_is_ignored_with_a_message_never_an_error(client, story, query):
    response = client.get(link(story) + query)
    assert response.status_code == 200
    assert "so the axis shows every year." in response.text and len(MARK.findall(response.text)) == 2


def test_the_editor_page_draws_every_entry_drafts_dashed_and_htmx_filters_swap_the_axis_too(client, story):
    client = login(client, story.owner)
    url = story.timeline.get_absolute_url()
    text = client.get(url).text
    marks = {int(pk): classes for pk, classes, _kind, _name in MARK.findall(text)}
    assert set(marks) == {story.deployed.pk, story.vote.pk, story.draft.pk}
    assert "is-draft" in marks[story.draft.pk] and "dashed outline: a draft" in text
    filtered = client.get(url, {"status": Status.DRAFT}, headers={"HX-Request": "true", "HX-Target": "entry-list"})
    assert '<div id="editor-axis" data-hx-swap-oob="true">' in filtered.text
    assert [int(pk) for pk, *_rest in MARK.findall(filtered.text)] == [story.draft.pk]


def test_the_public_page_queries_do_not_grow_with_the_axis(client, story, django_assert_max_num_queries):
    url = link(story)
    with django_assert_max_num_queries(5):
        assert client.get(url + "?from=2013&to=2023").status_code == 200


# The embed


def test_only_the_embed_may_be_framed_by_other_sites(client, story):
    page = client.get(link(story))
    assert page["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in page["Content-Security-Policy"]
    embed = client.get(reverse("public-embed", args=[story.timeline.public_token]))
    assert embed.status_code == 200 and "X-Frame-Options" not in embed
    policy = embed["Content-Security-Policy"]
    assert policy.endswith("frame-ancestors *") and "'none'" not in policy.split("frame-ancestors")[1]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    snapshot = snapshot_create(timeline=story.timeline, actor=story.owner)
    framed = client.get(reverse("snapshot-embed", args=[snapshot.token]))
    assert framed.status_code == 200 and "X-Frame-Options" not in framed
    for other in (reverse("public-card", args=[story.timeline.public_token]), reverse("public-list")):
        assert client.get(other)["X-Frame-Options"] == "DENY", other


def test_the_embed_shows_the_axis_and_the_entries_with_their_sources_folded(client, story):
    text = client.get(reverse("public-embed", args=[story.timeline.public_token])).text
    assert len(MARK.findall(text)) == 2
    assert '<details class="embed-sources">' in text and "The sources disagree: 2 sources" in text
    assert 'target="_blank" rel="noopener">In context' in text
    assert '<meta name="robots" content="noindex, nofollow">' in text and 'style="' not in text
    for secret in ("DRAFT-HEADLINE", "qzowner", "@newsroom.example"):
        assert secret not in text


def test_the_share_page_offers_the_embed_code_with_a_height_that_fits_while_the_link_is_on(client, story):
    client = login(client, story.owner)
    url = reverse("timeline-share", args=[story.timeline.slug])
    text = client.get(url).text
    embed = f"http://testserver{reverse('public-embed', args=[story.timeline.public_token])}"
    assert f"&lt;iframe src=&quot;{embed}&quot; width=&quot;720&quot; height=&quot;" in text
    assert "title=&quot;Sahel watch (a timeline on Factline)&quot;" in text
    timeline_revoke(timeline=story.timeline, actor=story.owner)
    assert "Embed on another site" not in client.get(url).text


# oEmbed


def oembed(client, url: str, **params):
    return client.get(reverse("oembed-detail"), {"url": url, **params})


def test_the_page_names_its_oembed_answer_which_has_the_fields_of_a_rich_type(client, story):
    page = client.get(link(story)).text
    found = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', page)
    answer = client.get(found.group(1).replace("&amp;", "&").removeprefix("http://testserver"))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    data = json.loads(answer.content)
    # https://oembed.com/ 2.3.4 and 2.3.4.4: every answer's version and type; a rich one's html, width, height.
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert isinstance(data["width"], int) and isinstance(data["height"], int) and data["width"] > 0
    assert data["html"].startswith('<iframe src="http://testserver/p/') and '/embed/" width="720"' in data["html"]
    assert data["title"] == "Sahel watch" and data["provider_name"] == "Factline"
    assert data["provider_url"] == "http://testserver/public/"
    assert data["thumbnail_url"].endswith("/card.png") and (data["thumbnail_width"], data["thumbnail_height"]) == (
        1200,
        630,
    )


def test_oembed_fits_within_maxwidth_and_maxheight_and_answers_for_snapshots(client, story):
    data = json.loads(oembed(client, "http://testserver" + link(story), maxwidth="400", maxheight="300").content)
    assert (data["width"], data["height"]) == (400, 300) and 'width="400" height="300"' in data["html"]
    snapshot = snapshot_create(timeline=story.timeline, actor=story.owner)
    data = json.loads(oembed(client, "http://testserver" + snapshot.get_absolute_url()).content)
    assert data["title"].startswith("Sahel watch (as of ") and f"/s/{snapshot.token}/embed/" in data["html"]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"format": "xml"}, 501),
        ({"format": "yaml"}, 501),
        ({"maxwidth": "wide"}, 400),
        ({"maxwidth": "-3"}, 400),
        ({"maxheight": "0"}, 400),
        ({"maxheight": "9" * 40}, 400),
    ],
)
def test_oembed_refuses_other_formats_and_sizes_that_are_not_numbers(client, story, params, status):
    response = oembed(client, "http://testserver" + link(story), **params)
    assert response.status_code == status


def test_oembed_knows_only_this_sites_public_links_and_snapshots(client, story):
    for url in (
        "http://testserver/p/not-a-token/",
        "http://elsewhere.example" + link(story),
        "javascript:alert(1)",
        "http://testserver" + reverse("listed-timeline", args=[story.timeline.slug]),
        "http://testserver" + story.timeline.get_absolute_url(),
        "",
    ):
        assert oembed(client, url).status_code == 404, url
    token = story.timeline.public_token
    timeline_revoke(timeline=story.timeline, actor=story.owner)
    assert oembed(client, "http://testserver" + reverse("public-timeline", args=[token])).status_code == 404


# The card


def test_the_card_is_a_1200_by_630_png_named_by_the_page_with_an_etag_and_304(client, story):
    page = client.get(link(story)).text
    card_url = f"http://testserver{reverse('public-card', args=[story.timeline.public_token])}"
    assert f'<meta property="og:image" content="{card_url}">' in page
    assert f'<meta name="twitter:image" content="{card_url}">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    response = client.get(card_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert response["ETag"] and response["Cache-Control"] == "no-cache"
    assert client.get(card_url, headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_the_card_is_drawn_once_until_the_timeline_changes(client, story, monkeypatch):
    drawn = []
    real = cards.render
    monkeypatch.setattr(cards, "render", lambda **kwargs: drawn.append(kwargs) or real(**kwargs))
    url = reverse("public-card", args=[story.timeline.public_token])
    first = client.get(url)
    assert client.get(url).content == first.content and len(drawn) == 1
    assert drawn[0]["summary"] == "2 published entries · 2013–2023 · 1 disputed"
    entry_update(entry=story.vote, actor=story.owner, headline="Changed")
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"] and len(drawn) == 2


def test_listed_and_snapshot_pages_have_cards_too(client, story):
    timeline_set_listed(timeline=story.timeline, actor=story.owner, listed=True)
    listed = client.get(reverse("listed-timeline", args=[story.timeline.slug])).text
    assert reverse("listed-card", args=[story.timeline.slug]) in listed
    assert "application/json+oembed" not in listed  # a listing has no embed: it would give away the link
    snapshot = snapshot_create(timeline=story.timeline, actor=story.owner)
    response = client.get(reverse("snapshot-card", args=[snapshot.token]))
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)


def test_a_card_is_drawn_with_pillows_own_font_where_the_machine_has_none(monkeypatch, tmp_path):
    monkeypatch.setattr(cards, "FONT_DIRS", [tmp_path])
    cards.font.cache_clear()
    try:
        png = cards.render(title="A title " * 20, kind="Public timeline", summary="No entries", axis=None)
    finally:
        cards.font.cache_clear()
    assert Image.open(io.BytesIO(png)).size == (1200, 630)


def test_a_long_title_wraps_and_ends_in_an_ellipsis():
    draw = Image.new("RGB", (10, 10))
    from PIL import ImageDraw

    lines = cards._wrap(ImageDraw.Draw(draw), "word " * 80 + "x" * 300, cards.font(60, bold=True), 1080, 2)
    assert len(lines) == 2 and lines[-1].endswith("…")


# Turned-off and unknown links


@pytest.mark.parametrize("debug", [False, True])
def test_a_turned_off_link_or_snapshot_is_gone_and_an_unknown_one_not_found_debug_or_not(client, story, debug):
    token = story.timeline.public_token
    snapshot = snapshot_create(timeline=story.timeline, actor=story.owner)
    timeline_revoke(timeline=story.timeline, actor=story.owner)
    snapshot_revoke(snapshot=snapshot, actor=story.owner)
    with override_settings(DEBUG=debug):
        for url in (reverse("public-timeline", args=[token]), reverse("snapshot-timeline", args=[snapshot.token])):
            response = client.get(url)
            assert response.status_code == 410, url
            assert '<h1 id="gone-title">This link was turned off by its owner</h1>' in response.text
            assert response["X-Robots-Tag"] == "noindex, nofollow"
        for url in (reverse("public-timeline", args=["x" * 43]), reverse("snapshot-timeline", args=["y" * 43])):
            response = client.get(url)
            assert response.status_code == 404, url
            assert "There is no timeline at this address" in response.text


def test_a_turned_off_embed_says_so_inside_the_frame(client, story):
    token = story.timeline.public_token
    timeline_share(timeline=story.timeline, actor=story.owner)  # a new link: the old one is gone
    response = client.get(reverse("public-embed", args=[token]))
    assert response.status_code == 410 and "X-Frame-Options" not in response
    assert response["Content-Security-Policy"].endswith("frame-ancestors *")


def test_a_new_entry_does_not_make_an_old_snapshot_token_gone(client, story):
    snapshot = snapshot_create(timeline=story.timeline, actor=story.owner)
    entry_create(actor=story.owner, timeline=story.timeline, start=datetime.date(2024, 1, 1), headline="Later")
    assert client.get(snapshot.get_absolute_url()).status_code == 200
