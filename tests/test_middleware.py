import datetime
import re
from pathlib import Path

from django.urls import reverse

from factline.services import entry_create, timeline_share

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_every_page_carries_a_strict_content_security_policy(client, db):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_no_template_has_inline_script_style_or_event_handlers():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (
            r"\sstyle=",
            r"\son[a-z]+=",
            r"\s(data-)?hx-on",
            r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)",
            r"<style",
        ):
            if re.search(pattern, text):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {pattern}")
    assert offenders == []


def test_htmx_attributes_are_written_in_their_valid_html_form():
    # The Nu HTML checker rejects bare hx-* attributes; htmx reads data-hx-* the same way.
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group()}"
        for path in TEMPLATES.rglob("*.html")
        for match in re.finditer(r"(?<![\w-])hx-[a-z-]+=", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_an_htmx_request_whose_session_ended_gets_401_not_the_login_page(client, timeline):
    url = reverse("entry-create", args=[timeline.slug])
    refused = client.post(url, {"headline": "Typed"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 401
    assert b"<form" not in refused.content
    assert client.post(url, {"headline": "Typed"}).status_code == 302  # without htmx: the login page, as ever


def test_a_selectors_not_found_is_answered_with_the_404_page(client, outsider, timeline):
    client.force_login(outsider)
    response = client.get(reverse("timeline-detail", args=[timeline.slug]))
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text and "visible only to its members" in response.text


def test_logged_in_pages_and_their_htmx_answers_are_private_and_asked_again(client, owner, timeline, passage):
    entry = entry_create(actor=owner, timeline=timeline, start=datetime.date(2013, 7, 1), headline="Deployed")
    client.force_login(owner)
    slug = timeline.slug
    htmx = {"HTTP_HX_REQUEST": "true"}
    pages = [
        (reverse("dashboard"), {}),
        (reverse("timeline-detail", args=[slug]), {}),
        (reverse("entry-edit", args=[slug, entry.pk]), htmx),
        (reverse("entry-detail", args=[slug, entry.pk]), htmx),
        (reverse("timeline-changes", args=[slug]) + "?since=2000-01-01T00:00:00Z", htmx),
        (reverse("timeline-activity", args=[slug]), {}),
        (reverse("member-list", args=[slug]), {}),
        (reverse("source-list"), {}),
        (reverse("source-detail", args=[passage.source_id]), {}),
    ]
    for url, headers in pages:
        response = client.get(url, **headers)
        assert response.status_code == 200, url
        assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-cache"}, url
    # A write's answer (an htmx block) too.
    saved = client.post(
        reverse("entry-status", args=[slug, entry.pk]), {"status": "published", "version": entry.version}, **htmx
    )
    assert saved.status_code == 200 and "private" in saved["Cache-Control"]


def test_public_pages_keep_their_own_caching_logged_in_or_not(client, owner, timeline):
    shared = timeline_share(timeline=timeline, actor=owner)
    url = reverse("public-timeline", args=[shared.public_token])
    anonymous = client.get(url)
    assert anonymous["Cache-Control"] == "no-cache" and anonymous.has_header("ETag")
    assert "Cookie" not in anonymous.get("Vary", "")
    client.force_login(owner)
    assert client.get(url)["Cache-Control"] == "no-cache"
