"""Reading a source (`source-detail`): numbered passages, who cites them, and citing from them."""

import datetime
import re

import pytest
from django.urls import reverse

from factline.models import Citation
from factline.services import citation_create, entry_create, source_import, timeline_create

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def entry(timeline, owner):
    return entry_create(actor=owner, timeline=timeline, start=datetime.date(2023, 6, 30), headline="Council votes")


def reading(source, entry=None) -> str:
    url = reverse("source-detail", args=[source.pk])
    return f"{url}?entry={entry.pk}" if entry is not None else url


def block(html: str, passage) -> str:
    return html.split(f'id="p{passage.number}"')[1].split("</li>\n    \n")[0]


def test_it_shows_the_metadata_and_the_passages_numbered(login, editor, source):
    response = login(editor).get(reading(source))
    assert response.status_code == 200
    assert "Test Wire" in response.text
    assert "test-article.txt" in response.text
    for passage in source.passages.all():
        assert f'id="p{passage.number}" value="{passage.number}"' in response.text


def test_boilerplate_is_folded_with_its_reason_and_never_selectable(login, editor, entry, source):
    boilerplate = source.passages.get(boilerplate=True)
    html = login(editor).get(reading(source, entry)).text
    passage_html = block(html, boilerplate)
    assert '<details class="boilerplate-fold">' in passage_html
    assert "Not citable: related link" in passage_html
    assert "data-passage" not in passage_html
    assert 'name="quote"' not in passage_html


def test_it_shows_beside_a_passage_the_entries_that_cite_it(login, editor, entry, passage):
    citation_create(actor=editor, entry=entry, passage=passage, quote="voted unanimously", stance="context")
    html = block(login(editor).get(reading(passage.source)).text, passage)
    assert 'aria-label="Cited by"' in html
    assert "Council votes" in html and "Context" in html and "Sahel watch" in html


def test_a_non_member_sees_none_of_a_timelines_entries_beside_the_passages(login, owner, outsider, entry, passage):
    citation_create(actor=owner, entry=entry, passage=passage, quote="voted unanimously")
    theirs = timeline_create(actor=outsider, title="Oscar's own")
    own = entry_create(actor=outsider, timeline=theirs, start=datetime.date(2023, 7, 1), headline="Oscar's entry")
    citation_create(actor=outsider, entry=own, passage=passage, quote="end the mission")
    html = login(outsider).get(reading(passage.source)).text
    assert "Council votes" not in html
    assert "Sahel watch" not in html
    assert "Oscar&#x27;s entry" in html


def test_a_viewer_sees_the_citing_entries_but_gets_no_citing_forms(login, viewer, entry, passage):
    citation_create(actor=None, entry=entry, passage=passage, quote="voted unanimously")
    html = login(viewer).get(reading(passage.source, entry)).text
    assert "Council votes" in html
    assert 'name="quote"' not in html
    assert 'id="selection-cite"' not in html
    assert "citing.js" not in html


def test_an_entry_the_user_may_not_edit_is_ignored_and_not_shown(login, outsider, entry, source):
    html = login(outsider).get(reading(source, entry)).text
    assert "Council votes" not in html
    assert 'name="quote"' not in html


def test_an_editor_gets_a_paste_form_under_each_citable_passage_and_the_selection_bar(login, editor, entry, source):
    html = login(editor).get(reading(source, entry)).text
    citable = source.passages.filter(boilerplate=False)
    assert html.count('<details class="cite-paste"') == citable.count()
    for passage in citable:
        # The element measured by citing.js holds exactly the passage's text.
        # Only the passage's own text (dates are marked, which adds no text): selections are measured against it.
        unmarked = re.sub(r'<mark class="date-mark"[^>]*>|</mark>', "", html)
        assert f'data-passage="{passage.pk}" data-number="{passage.number}">{passage.text}</p>' in unmarked
    assert 'id="selection-cite"' in html and "Cite these words" in html
    assert 'src="/static/js/citing.js"' in html
    assert "<script>" not in html and "style=" not in html


def post(client, entry, passage, **data):
    payload = {"passage": passage.pk, "stance": "supports", "quote": "", "origin": "source", **data}
    headers = data.pop("headers", {})
    return client.post(reverse("entry-cite", args=[entry.timeline.slug, entry.pk]), payload, **headers)


def test_without_javascript_a_pasted_quote_is_cited_and_leads_back_to_the_entry(login, editor, entry, passage):
    response = post(login(editor), entry, passage, quote="end the mission")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#entry-{entry.pk}")
    assert Citation.objects.get().quote == "end the mission"


def test_an_invented_quote_comes_back_on_the_source_page_next_to_the_field(login, editor, entry, passage):
    response = post(login(editor), entry, passage, quote="end the war")
    assert response.status_code == 422
    html = block(response.text, passage)
    assert '<details class="cite-paste" open>' in html
    assert f'id="id_cite_{passage.pk}_quote_error"' in html
    assert "end the war</textarea>" in html
    assert not Citation.objects.exists()


def test_with_htmx_citing_returns_the_passage_with_its_new_citing_entry(login, editor, entry, passage):
    start = passage.text.index("voted")
    response = post(login(editor), entry, passage, quote="voted unanimously", start=start, headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<li id="p{passage.number}"')
    assert "cited-here" in response.text.split(">")[0]
    assert "Cited “voted unanimously” (supports)" in response.text
    assert "Council votes" in response.text.split('aria-label="Cited by"')[1]
    assert "HX-Request" in response["Vary"]


def test_with_htmx_a_refused_selection_opens_the_passages_form_with_the_words(login, editor, entry, passage):
    response = post(login(editor), entry, passage, quote="voted unanimously", start=0, headers=HTMX)
    assert response.status_code == 422
    assert "not at that place in the passage" in response.text
    assert "voted unanimously</textarea>" in response.text
    assert 'name="start"' not in response.text  # retyping the quote must not be held to the old offset
    assert not Citation.objects.exists()


def test_the_source_list_links_each_source(login, editor, source):
    response = login(editor).get(reverse("source-list"))
    assert f'href="{source.get_absolute_url()}"' in response.text


def big_source(count: int, entry, owner):
    lines = [f"Paragraph {n} of the long report, with a full stop." for n in range(count)]
    source = source_import(data=("Long report\n" + "\n".join(lines)).encode(), origin=f"long-{count}.txt")
    other = timeline_create(actor=owner, title="Other desk")
    others = [
        entry_create(actor=owner, timeline=other, start=datetime.date(2023, 1, 1), headline=f"Other {n}")
        for n in range(3)
    ]
    for passage in source.passages.filter(number__lte=40):
        citation_create(actor=None, entry=entry, passage=passage)
        for other_entry in others:
            citation_create(actor=None, entry=other_entry, passage=passage)
    return source


@pytest.mark.parametrize("count", [50, 500])
def test_reading_a_source_takes_a_fixed_number_of_queries(login, owner, entry, count, django_assert_max_num_queries):
    source = big_source(count, entry, owner)
    client = login(owner)
    # Three more than the passages need: this timeline's and the user's ratings, where they may rate, the original.
    with django_assert_max_num_queries(11):
        response = client.get(reading(source, entry))
    assert response.text.count('<details class="cite-paste"') == count + 1  # and the title
    assert response.text.count("Other 2") == 40


def test_an_editor_corrects_a_source_with_a_reason_kept_in_its_history(login, editor, timeline, source):
    client = login(editor)
    page = client.get(source.get_absolute_url())
    assert reverse("source-edit", args=[source.pk]) in page.text
    url = reverse("source-edit", args=[source.pk])
    data = {
        "title": source.title,
        "publisher": "Test Wire Ltd",
        "author": "",
        "url": "example.org/vote",
        "published": "2023-06-30",
        "language": "en",
        "reason": "Checked the masthead",
    }
    refused = client.post(url, {**data, "title": "", "published": "30 June"})
    assert refused.status_code == 422
    assert 'id="id_title_error"' in refused.text and 'id="id_published_error"' in refused.text
    assert 'value="Test Wire Ltd"' in refused.text  # what was typed stays
    source.refresh_from_db()
    assert source.publisher != "Test Wire Ltd"

    assert client.post(url, data).status_code == 302
    source.refresh_from_db()
    assert (source.publisher, source.url) == ("Test Wire Ltd", "https://example.org/vote")
    record = source.history.first()
    assert (record.history_user, record.history_change_reason) == (editor, "Checked the masthead")


def test_a_viewer_or_a_person_without_a_timeline_cannot_change_a_source(login, viewer, outsider, timeline, source):
    url = reverse("source-edit", args=[source.pk])
    for person in (viewer, outsider):
        client = login(person)
        assert "source-edit" not in client.get(source.get_absolute_url()).text
        assert reverse("source-edit", args=[source.pk]) not in client.get(source.get_absolute_url()).text
        assert client.post(url, {"title": "Mine now"}).status_code == 403
    source.refresh_from_db()
    assert source.title != "Mine now"


@pytest.mark.parametrize("sent", ["sahel\x00watch", "sahel watch", "\u202esahel-watch"])
def test_a_timeline_parameter_that_is_no_address_is_refused_on_the_rating_and_ignored_on_the_page(
    login, editor, timeline, source, sent
):
    client = login(editor)
    rating = client.get(reverse("source-rate", args=[source.pk]), {"timeline": sent})
    assert rating.status_code == 400 and "?timeline=" in rating.text
    page = client.get(reverse("source-detail", args=[source.pk]), {"timeline": sent})
    assert page.status_code == 200
