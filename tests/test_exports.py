"""Exports: JSON, CSV, TimelineJS and Markdown, from the public pages (published only) and the editor."""

import csv
import datetime
import io
import json
import re
from html.parser import HTMLParser

import markdown as markdown_lib
import pytest
from django.core.management import call_command
from django.urls import reverse

from factline import exports, selectors
from factline.models.timelines import Stance, Status
from factline.services import (
    citation_create,
    entry_create,
    entry_set_status,
    entry_update,
    snapshot_create,
    source_update,
    timeline_create,
)
from tests.conftest import PASSWORD
from tests.test_public import SECRETS, build_story

FORMATS = {
    "json": ("application/json", ".json"),
    "csv": ("text/csv; charset=utf-8", ".csv"),
    "timelinejs": ("application/json", ".timelinejs.json"),
    "md": ("text/markdown; charset=utf-8", ".md"),
}


@pytest.fixture
def story(make_user, source):
    return build_story(make_user, source)


def export(client, story, fmt):
    return client.get(reverse("public-export", args=[story.timeline.public_token, fmt]))


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_download_has_its_content_type_and_file_name(client, story, fmt):
    response = export(client, story, fmt)
    content_type, ending = FORMATS[fmt]
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="sahel-watch{ending}"'


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_export_leaks_drafts_deleted_entries_summaries_members_or_other_timelines(client, story, fmt):
    text = export(client, story, fmt).content.decode()
    assert "MINUSMA deploys" in text
    for secret in SECRETS:
        assert secret not in text, f"{secret} leaked into the {fmt} export"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_snapshot_export_is_frozen_and_named_for_its_moment(client, story, fmt):
    snapshot = snapshot_create(timeline=story.timeline, actor=story.owner)
    entry = entry_create(actor=story.owner, timeline=story.timeline, start=datetime.date(2023, 9, 1), headline="Newer")
    citation_create(actor=story.owner, entry=entry, passage=story.vote.citations.first().passage)
    entry_set_status(entry=entry, actor=story.owner, status=Status.PUBLISHED)
    response = client.get(reverse("snapshot-export", args=[snapshot.token, fmt]))
    assert f"sahel-watch-as-of-{snapshot.as_of:%Y-%m-%d-%H%M}" in response["Content-Disposition"]
    text = response.content.decode()
    assert "MINUSMA deploys" in text and "Newer" not in text


def test_a_download_answers_304_to_a_repeat_request(client, story):
    first = export(client, story, "csv")
    url = reverse("public-export", args=[story.timeline.public_token, "csv"])
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert first["ETag"] != export(client, story, "md")["ETag"]


def test_an_unknown_format_is_404(client, story):
    assert export(client, story, "xlsx").status_code == 404


def test_the_public_json_is_the_timeline_json_format_of_the_published_entries(client, story):
    data = json.loads(export(client, story, "json").content)
    expected = exports.timeline_json(story.timeline, selectors.published_entries(story.timeline))
    assert data == json.loads(json.dumps(expected))
    assert {entry["status"] for entry in data["entries"]} == {"published"}


# The JSON shapes README.md documents; other tools read them, so a key added or lost must be on purpose.
TIMELINE_KEYS = {"slug", "title", "description"}
ENTRY_KEYS = {
    "id",
    "start",
    "end",
    "precision",
    "approximate",
    "date_note",
    "headline",
    "body",
    "status",
    "disputed",
    "citations",
}
CITATION_KEYS = {"stance", "quote", "passage", "source"}
CITATION_PASSAGE_KEYS = {"id", "number", "text"}
SOURCE_KEYS = {"id", "title", "publisher", "published", "origin"}
PASSAGE_KEYS = {"id", "number", "text", "boilerplate", "dates"}
DATE_KEYS = {"text", "start", "end", "value", "precision", "approximate", "kind", "reason"}


def command_json(*args) -> dict:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def assert_timeline_shape(data: dict, top: set[str]) -> None:
    assert set(data) == top
    assert set(data["timeline"]) == TIMELINE_KEYS
    citations = [citation for entry in data["entries"] for citation in entry["citations"]]
    assert data["entries"] and citations
    for entry in data["entries"]:
        assert set(entry) == ENTRY_KEYS, entry
    for citation in citations:
        assert set(citation) == CITATION_KEYS, citation
        assert set(citation["passage"]) == CITATION_PASSAGE_KEYS, citation
        assert set(citation["source"]) == SOURCE_KEYS, citation


def test_export_timeline_has_exactly_the_documented_keys(story):
    data = command_json("export_timeline", story.timeline.slug)
    assert_timeline_shape(data, {"timeline", "entries"})
    assert {entry["status"] for entry in data["entries"]} == {"draft", "published"}


def test_the_public_json_has_the_same_keys_and_a_snapshots_says_as_of_when(client, story):
    assert_timeline_shape(json.loads(export(client, story, "json").content), {"timeline", "entries"})
    snapshot = snapshot_create(timeline=story.timeline, actor=story.owner)
    data = json.loads(client.get(reverse("snapshot-export", args=[snapshot.token, "json"])).content)
    assert_timeline_shape(data, {"timeline", "entries", "as_of"})


def test_export_sources_has_exactly_the_documented_keys(story):
    data = command_json("export_sources")
    assert set(data) == {"sources"} and len(data["sources"]) == 2
    for source in data["sources"]:
        assert set(source) == SOURCE_KEYS | {"passages"}, source
        assert source["passages"]
        for passage in source["passages"]:
            assert set(passage) == PASSAGE_KEYS, passage
            for mention in passage["dates"]:
                assert set(mention) == DATE_KEYS, mention
    assert any(passage["dates"] for source in data["sources"] for passage in source["passages"])


def test_the_csv_has_one_row_per_entry_and_citation(client, story):
    rows = list(csv.DictReader(io.StringIO(export(client, story, "csv").content.decode("utf-8-sig"))))
    assert [(r["headline"], r["stance"], r["quote"]) for r in rows] == [
        ("MINUSMA deploys", "supports", "13,000 peacekeepers"),
        ("The Security Council ends MINUSMA", "supports", "voted unanimously"),
        ("The Security Council ends MINUSMA", "contradicts", "the vote was not unanimous"),
    ]
    assert [r["footnote"] for r in rows] == ["1", "2", "3"]
    contradicting = rows[2]
    assert (contradicting["date"], contradicting["precision"], contradicting["disputed"]) == (
        "2023-06-30",
        "day",
        "yes",
    )
    assert (contradicting["source_publisher"], contradicting["source_reliability"]) == ("Other Paper", "mixed")
    assert rows[0]["date"] == "2013-07" and rows[0]["date_display"] == "July 2013"
    assert contradicting["context_url"].startswith("http://testserver/p/")


def test_csv_downloads_start_with_a_byte_order_mark_so_excel_reads_utf8(client, story):
    timeline = story.timeline
    entry_update(entry=story.vote, actor=story.owner, headline="Bamako–Gao: the Sécurité Council’s vote")
    client.force_login(story.owner)
    for response in (export(client, story, "csv"), client.get(reverse("timeline-export", args=[timeline.slug, "csv"]))):
        assert response.content.startswith(b"\xef\xbb\xbfentry_id,")
        assert response.content.count(b"\xef\xbb\xbf") == 1
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert "Bamako–Gao: the Sécurité Council’s vote" in [row["headline"] for row in rows]
    # The other downloads stay plain UTF-8: a mark would break JSON parsers.
    assert not export(client, story, "json").content.startswith(b"\xef\xbb\xbf")


def test_csv_cells_that_a_spreadsheet_would_run_are_kept_as_text(timeline, owner):
    entry = entry_create(actor=owner, timeline=timeline, start=datetime.date(2020, 1, 1), headline="=HYPERLINK(1)")
    row = next(csv.DictReader(io.StringIO(exports.timeline_csv([entry]))))
    assert row["headline"] == "'=HYPERLINK(1)"
    assert row["footnote"] == ""


def test_the_timelinejs_export_has_dates_at_their_precision_quotes_sources_and_disputes(client, story):
    data = json.loads(export(client, story, "timelinejs").content)
    assert data["title"]["text"]["headline"] == "Sahel watch"
    deployed, vote = data["events"]
    assert deployed["start_date"] == {"year": 2013, "month": 7, "display_date": "July 2013"}
    assert vote["start_date"] == {"year": 2023, "month": 6, "day": 30, "display_date": "30 June 2023"}
    assert "<blockquote>“13,000 peacekeepers”</blockquote>" in deployed["text"]["text"]
    assert "<cite>Mali votes</cite>, Test Wire." in deployed["text"]["text"]
    assert "Disputed" not in deployed["text"]["text"] and "background" not in deployed
    assert vote["text"]["text"].startswith("<p><strong>Disputed:</strong> the sources disagree")
    assert (
        "Contradicts: <cite>A dissenting account</cite>, Other Paper, 1 July 2023. Rated mixed" in vote["text"]["text"]
    )
    assert vote["background"] == {"color": "#5c2a6b"}


def test_timelinejs_reads_years_spans_and_approximate_dates_and_escapes_text(timeline, owner, passage):
    entry = entry_create(
        actor=owner,
        timeline=timeline,
        start=datetime.date(2012, 1, 1),
        precision="year",
        approximate=True,
        end=datetime.date(2013, 3, 1),
        end_precision="month",
        headline="Insurgency <script>",
    )
    citation_create(actor=owner, entry=entry, passage=passage)
    event = exports.timeline_timelinejs(timeline, list(selectors.entries_of(timeline)))["events"][0]
    assert event["start_date"] == {"year": 2012, "display_date": "2012"}
    assert event["end_date"] == {"year": 2013, "month": 3, "display_date": "March 2013"}
    assert event["display_date"] == "c. 2012 – March 2013"
    assert event["text"]["headline"] == "Draft: Insurgency &lt;script&gt;"  # not published yet


def test_the_markdown_has_a_footnote_for_each_quote(client, story):
    text = export(client, story, "md").content.decode()
    assert text.startswith("# Sahel watch\n\nHow MINUSMA ended.\n")
    assert "### July 2013: MINUSMA deploys[^1]" in text
    assert "### 30 June 2023: The Security Council ends MINUSMA[^2][^3]" in text
    assert (
        "**Disputed:** the sources disagree. Supports: Mali votes[^2]; Contradicts: A dissenting account[^3]." in text
    )
    assert re.search(
        r"^\[\^1\]: “13,000 peacekeepers” — Mali votes, Test Wire\. <http://testserver/p/.+/passages/\d+/>$",
        text,
        re.MULTILINE,
    )
    assert (
        "[^3]: Contradicts: “the vote was not unanimous” — A dissenting account, Other Paper, 1 July 2023. "
        "Rated mixed: Sells gear between paragraphs. <" in text
    )


def test_every_format_says_how_a_date_was_worked_out(timeline, owner, passage):
    note = "“on Friday” after June 16, 2023: the 30th *probably*."
    entry = entry_create(actor=owner, timeline=timeline, start=datetime.date(2023, 6, 30), approximate=True,
                         headline="Vote", date_note=note)  # fmt: skip
    citation_create(actor=owner, entry=entry, passage=passage)
    entries = list(selectors.entries_of(timeline))
    assert exports.timeline_json(timeline, entries)["entries"][0]["date_note"] == note
    assert next(csv.DictReader(io.StringIO(exports.timeline_csv(entries))))["date_note"] == note
    tljs = exports.timeline_timelinejs(timeline, entries)["events"][0]["text"]["text"]
    assert "<p><em>How the date was worked out:</em> “on Friday” after June 16, 2023: the 30th *probably*.</p>" in tljs
    markdown = exports.timeline_markdown(timeline, entries)
    assert r"*How the date was worked out:* “on Friday” after June 16, 2023: the 30th \*probably\*." in markdown


def test_markdown_escapes_text_that_would_become_formatting(timeline, owner, passage):
    entry = entry_create(actor=owner, timeline=timeline, start=datetime.date(2020, 1, 1), headline="A *bold* [link]")
    citation_create(actor=owner, entry=entry, passage=passage)
    source_update(source=passage.source, actor=owner, title="Wire_service")
    text = exports.timeline_markdown(timeline, list(selectors.entries_of(timeline)))
    assert r"A \*bold\* \[link\][^1]" in text and r"Wire\_service" in text


def test_a_markdown_body_keeps_its_formatting_but_not_raw_html_script_links_headings_or_footnotes(
    timeline, owner, passage
):
    body = (
        "The **vote** was [reported](https://example.org/vote).\n"
        "> Quoted words\n"
        "<script>alert(1)</script> and [click](javascript:alert(1))\n"
        "# A heading of its own\n"
        "[^1]: A footnote of its own"
    )
    entry = entry_create(actor=owner, timeline=timeline, start=datetime.date(2020, 1, 1), headline="Vote", body=body)
    citation_create(actor=owner, entry=entry, passage=passage)
    text = exports.timeline_markdown(timeline, list(selectors.entries_of(timeline)))
    assert "The **vote** was [reported](https://example.org/vote).\n> Quoted words\n" in text
    assert "<script>" not in text and "&lt;script>" in text
    assert "javascript:" not in text and "and click\n" in text
    assert "\n\\# A heading of its own\n" in text and "\n\\[^1]: A footnote of its own" in text


def _body_in_markdown(timeline, owner, passage, body: str) -> str:
    """The entry body as the Markdown export writes it."""
    entry = entry_create(actor=owner, timeline=timeline, start=datetime.date(2020, 1, 1), headline="Vote", body=body)
    citation_create(actor=owner, entry=entry, passage=passage)
    text = exports.timeline_markdown(timeline, list(selectors.entries_of(timeline)))
    # After the draft's note and before the footnotes.
    return text.split(exports.DRAFT_NOTE + "\n\n", 1)[1].rsplit("\n\n[^1]: ", 1)[0]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value or "" for name, value in attrs if name in ("href", "src")]


def _rendered_urls(markdown_text: str) -> list[str]:
    """Every href and src a Markdown renderer makes of `markdown_text`, with no sanitiser after it."""
    links = _Links()
    links.feed(markdown_lib.markdown(markdown_text))
    return links.urls


SCRIPT_LINKS = [
    "[clickme](javascript:alert(3))",
    "[clickme](javascript:alert((3)) 'a title')",
    "[clickme]( <javascript:alert(3)> )",
    "[clickme](JaVaScRiPt:alert(3))",
    "[clickme](&#106;avascript:alert(3))",
    "[clickme](java&#x09;script:alert(3))",
    "[clickme](javascript&colon;alert(3))",
    "[clickme](javascript\\:alert(3))",
    "[clickme](\njavascript:alert(3))",
    "[clickme](data:text/html;base64,PHNjcmlwdD4=)",
    "![clickme](javascript:alert(3))",
    "[click [me](javascript:alert(3))](vbscript:msgbox(3))",
    "[clickme][ref]\n\n[ref]: javascript:alert(3)",
    "[clickme][ref]\n\n[ref]: <javascript:alert(3)> 'a title'",
    "[clickme][ref]\n\n  [ref]:\n  javascript:alert(3)",
    "[clickme]\n\n[clickme]: javascript:alert(3)",
    "> [clickme][ref]\n>\n> [ref]: javascript:alert(3)",
]


@pytest.mark.parametrize("body", SCRIPT_LINKS)
def test_a_markdown_body_link_that_runs_script_becomes_its_words(timeline, owner, passage, body):
    text = _body_in_markdown(timeline, owner, passage, body)
    assert "clickme" in text or ("click" in text and "me" in text)
    assert not re.search(r"(?i)script|data:|&#|&colon", text), text
    assert ")" not in text.split("clickme")[-1].split("\n")[0], text  # no stray parenthesis left behind
    assert all(url.startswith(("http:", "https:", "mailto:", "#", "/")) for url in _rendered_urls(text)), text


def test_a_markdown_body_keeps_web_and_mail_links_as_they_are(timeline, owner, passage):
    body = (
        'See [the vote](https://example.org/vote_(2023) "UN"), [mail](mailto:desk@example.org), '
        "[a note](#note), [sic]: an aside, [javascript] (javascript: a language) and [the record][rec].\n\n"
        "[rec]: https://example.org/record"
    )
    text = _body_in_markdown(timeline, owner, passage, body)
    assert text.rstrip() == body
    assert _rendered_urls(text) == [
        "https://example.org/vote_(2023)",
        "mailto:desk@example.org",
        "#note",
        "https://example.org/record",
    ]


# The editor's downloads: every entry, for members only.


def test_a_member_downloads_every_entry_drafts_included(client, story):
    client.login(username="qzeditor", password=PASSWORD)
    response = client.get(reverse("timeline-export", args=[story.timeline.slug, "csv"]))
    assert response["Content-Disposition"] == 'attachment; filename="sahel-watch-all-entries.csv"'
    text = response.content.decode()
    assert "DRAFT-HEADLINE" in text and ",draft," in text
    assert "DELETED-HEADLINE" not in text and "OTHER-TIMELINE" not in text


def test_a_members_markdown_and_timelinejs_mark_drafts_plainly(client, story):
    client.login(username="qzeditor", password=PASSWORD)
    md = client.get(reverse("timeline-export", args=[story.timeline.slug, "md"])).content.decode()
    assert "### 1 January 2024: Draft: DRAFT-HEADLINE[^" in md
    assert "**Draft, not published.** Readers of the public page do not see this entry." in md
    assert md.count("Draft:") == 1 and "### July 2013: MINUSMA deploys[^" in md
    data = json.loads(client.get(reverse("timeline-export", args=[story.timeline.slug, "timelinejs"])).content)
    slides = {event["unique_id"]: event["text"] for event in data["events"]}
    draft = slides[f"entry-{story.draft.pk}"]
    assert draft["headline"] == "Draft: DRAFT-HEADLINE"
    assert draft["text"].startswith("<p><strong>Draft, not published.</strong>")
    published = slides[f"entry-{story.deployed.pk}"]
    assert published["headline"] == "MINUSMA deploys" and "Draft" not in published["text"]


@pytest.mark.parametrize("fmt", ["md", "timelinejs"])
def test_public_downloads_have_no_draft_and_so_no_draft_mark(client, story, fmt):
    text = export(client, story, fmt).content.decode()
    assert "MINUSMA deploys" in text and "Draft" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_editor_download_works_in_every_format(client, timeline, owner, passage, fmt):
    entry = entry_create(actor=owner, timeline=timeline, start=datetime.date(2020, 1, 1), headline="Vote")
    citation_create(actor=owner, entry=entry, passage=passage, stance=Stance.SUPPORTS)
    client.login(username=owner.username, password=PASSWORD)
    response = client.get(reverse("timeline-export", args=[timeline.slug, fmt]))
    assert response.status_code == 200 and response["Content-Type"] == FORMATS[fmt][0]
    assert "Vote" in response.content.decode()


def test_outsiders_and_anonymous_people_cannot_download_from_the_editor(client, timeline, outsider):
    url = reverse("timeline-export", args=[timeline.slug, "json"])
    assert client.get(url).status_code == 302
    client.login(username=outsider.username, password=PASSWORD)
    assert client.get(url).status_code == 404
    other = timeline_create(actor=outsider, title="Mine")
    assert client.get(reverse("timeline-export", args=[other.slug, "json"])).status_code == 200


def test_a_source_title_ending_in_a_question_mark_gets_no_second_full_stop(timeline, owner, passage):
    source_update(source=passage.source, actor=owner, title="Why is Mali kicking out UN peacekeepers?", publisher="")
    entry = entry_create(actor=owner, timeline=timeline, start=datetime.date(2020, 1, 1), headline="Why")
    citation_create(actor=owner, entry=entry, passage=passage, quote="voted unanimously")
    entries = list(selectors.entries_of(timeline))
    assert "— Why is Mali kicking out UN peacekeepers?\n" in exports.timeline_markdown(timeline, entries)
    event = exports.timeline_timelinejs(timeline, entries)["events"][0]
    assert "<cite>Why is Mali kicking out UN peacekeepers?</cite></p>" in event["text"]["text"]
