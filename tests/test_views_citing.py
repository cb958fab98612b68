"""The finder (`entry-cite`): searching passages from an entry and citing them, with and without htmx."""

import datetime

import pytest
from django.urls import reverse

from factline.models import Citation, Passage
from factline.services import entry_create, source_import, timeline_create
from tests.conftest import on_postgres

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def entry(timeline, owner):
    return entry_create(
        actor=owner, timeline=timeline, start=datetime.date(2023, 6, 30), headline="The Council ends MINUSMA"
    )


def finder(entry, **query) -> str:
    url = reverse("entry-cite", args=[entry.timeline.slug, entry.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def cite(client, entry, passage, **data):
    payload = {"passage": passage.pk, "stance": "supports", "quote": "", "origin": "finder", "q": "", **data}
    return client.post(finder(entry), payload, **data.pop("headers", {}))


def test_it_shows_each_hit_with_its_source_publisher_date_and_the_words_marked(login, editor, entry, source):
    source.published = datetime.date(2023, 6, 30)
    source.save()
    response = login(editor).get(finder(entry, q="voted unanimously"))
    assert response.status_code == 200
    hit = response.text.split(f'id="hit-{source.passages.get(number=2).pk}"')[1].split("</li>")[0]
    assert "Mali votes" in hit
    assert "Test Wire" in hit
    assert "30 June 2023" in hit
    assert "<mark>voted</mark> <mark>unanimously</mark>" in hit
    assert 'name="stance"' in hit and 'name="quote"' in hit


def test_it_never_offers_boilerplate(login, editor, entry, source):
    response = login(editor).get(finder(entry, q="related story"))
    boilerplate = source.passages.get(boilerplate=True)
    assert f'id="hit-{boilerplate.pk}"' not in response.text
    assert "No citable passage has all of" in response.text


def test_with_htmx_typing_updates_only_the_hits(login, editor, entry, source):
    response = login(editor).get(finder(entry, q="peacekeepers"), HTTP_HX_TARGET="cite-hits", **HTMX)
    assert response.text.lstrip().startswith('<section id="cite-hits"')
    assert "<mark>peacekeepers</mark>" in response.text
    assert "<h1>" not in response.text
    assert "HX-Request" in response["Vary"]


def test_citing_a_pasted_quote_saves_it_and_goes_back_to_the_entry(login, editor, entry, passage):
    response = cite(login(editor), entry, passage, quote="voted   unanimously", stance="context")
    citation = Citation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("timeline-detail", args=[entry.timeline.slug]) + f"#entry-{entry.pk}"
    assert (citation.entry, citation.passage, citation.stance) == (entry, passage, "context")
    assert citation.quote == "voted unanimously"
    assert citation.history.get().history_user == editor


def test_a_pasted_quote_with_curly_quotes_dashes_and_soft_hyphens_is_cited_in_the_passage_characters(
    login, editor, entry, db
):
    from factline.services import source_import

    text = "Pasted\n\nThe junta — “in power since 2020” — said the mission’s peace­keepers failed.\n"
    passage = source_import(data=text.encode(), origin="typography.txt").passages.get(number=2)
    cite(login(editor), entry, passage, quote='junta - "in power since 2020" - said the mission\'s peacekeepers')
    citation = Citation.objects.get()
    assert citation.quote == "junta — “in power since 2020” — said the mission’s peace­keepers"
    assert passage.text[citation.start : citation.end] == citation.quote


def test_an_empty_quote_cites_the_whole_passage(login, editor, entry, passage):
    cite(login(editor), entry, passage)
    citation = Citation.objects.get()
    assert (citation.quote, citation.start, citation.end) == (passage.text, 0, len(passage.text))


def test_an_invented_quote_is_refused_next_to_the_field_with_the_typed_text_kept(login, editor, entry, passage):
    response = cite(login(editor), entry, passage, quote="voted narrowly", q="council")
    assert response.status_code == 422
    hit = response.text.split(f'id="hit-{passage.pk}"')[1].split("</li>")[0]
    assert f'id="id_cite_{passage.pk}_quote_error"' in hit
    assert "not in the passage word for word" in hit
    # The closest words of the passage, with the one that differs marked (and the quote's own word named).
    assert '<q class="closest">… voted <mark>unanimously</mark> …</q>' in hit
    assert "(your words not there: narrowly)" in hit
    assert "voted narrowly</textarea>" in hit
    assert 'value="council"' in response.text  # the search is kept too
    assert not Citation.objects.exists()


def test_a_selection_is_cited_at_its_offsets_with_prefix_and_suffix(login, editor, entry, passage):
    start = passage.text.index("unanimously")
    cite(login(editor), entry, passage, quote="unanimously", start=start, origin="source")
    citation = Citation.objects.get()
    assert (citation.start, citation.end, citation.quote) == (start, start + len("unanimously"), "unanimously")
    assert citation.prefix == passage.text[:start][-32:]
    assert citation.suffix == passage.text[start + len("unanimously") :][:32]


def test_a_selection_sent_with_the_wrong_offset_is_refused(login, editor, entry, passage):
    response = cite(login(editor), entry, passage, quote="unanimously", start=3, origin="source")
    assert response.status_code == 422
    assert "not at that place in the passage" in response.text
    assert not Citation.objects.exists()


def test_citing_the_same_words_twice_is_refused(login, editor, entry, passage):
    client = login(editor)
    cite(client, entry, passage, quote="voted unanimously")
    response = cite(client, entry, passage, quote="voted unanimously")
    assert response.status_code == 422
    assert "already cites these words" in response.text
    assert Citation.objects.count() == 1


def test_a_crafted_post_cannot_cite_boilerplate(login, editor, entry, source):
    boilerplate = source.passages.get(boilerplate=True)
    response = cite(login(editor), entry, boilerplate, quote="Related")
    assert response.status_code == 422
    assert "cannot be cited" in response.text
    assert not Citation.objects.exists()


def test_with_htmx_citing_swaps_the_hit_with_a_confirmation_and_the_entry_summary(login, editor, entry, passage):
    response = cite(login(editor), entry, passage, quote="voted unanimously", q="unanimously", headers=HTMX)
    assert response.status_code == 200
    assert "<mark>unanimously</mark>" in response.text  # the hit keeps its highlight
    assert response.text.lstrip().startswith(f'<li class="hit is-cited" id="hit-{passage.pk}"')
    assert "Cited “voted unanimously” (supports)" in response.text
    oob = response.text.split('<section id="cite-entry"')[1]
    assert 'data-hx-swap-oob="true"' in oob.split(">")[0]
    assert "<q>voted unanimously</q>" in oob
    assert Citation.objects.count() == 1


def test_with_htmx_a_refused_quote_comes_back_in_the_hit(login, editor, entry, passage):
    response = cite(login(editor), entry, passage, quote="voted narrowly", headers=HTMX)
    assert response.status_code == 422
    assert response.text.lstrip().startswith(f'<li class="hit" id="hit-{passage.pk}"')
    assert "voted narrowly</textarea>" in response.text
    assert "not in the passage word for word" in response.text


def test_a_viewer_can_neither_open_the_finder_nor_cite(login, viewer, entry, passage):
    client = login(viewer)
    assert client.get(finder(entry, q="voted")).status_code == 403
    assert cite(client, entry, passage, quote="voted unanimously").status_code == 403
    assert cite(client, entry, passage, quote="voted", headers=HTMX).status_code == 403
    assert not Citation.objects.exists()


def test_a_non_member_gets_404_for_the_finder_and_the_cite_post(login, outsider, entry, passage):
    client = login(outsider)
    assert client.get(finder(entry, q="voted")).status_code == 404
    assert cite(client, entry, passage, quote="voted unanimously").status_code == 404
    assert not Citation.objects.exists()


def test_an_entry_of_another_timeline_is_404_under_this_timelines_address(login, editor, owner, timeline, passage):
    other = timeline_create(actor=owner, title="Elsewhere")
    foreign = entry_create(actor=owner, timeline=other, start=datetime.date(2020, 1, 1), headline="Not here")
    client = login(editor)
    url = reverse("entry-cite", args=[timeline.slug, foreign.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"passage": passage.pk, "stance": "supports"}).status_code == 404
    assert not Citation.objects.exists()


def test_signed_out_people_are_sent_to_log_in(client, entry):
    response = client.get(finder(entry, q="voted"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def many_passages(count: int) -> None:
    """A source of `count` citable passages that all match "convoy"."""
    lines = [f"Convoy report number {n} from the northern road." for n in range(count)]
    source_import(data=("Convoys\n" + "\n".join(lines)).encode(), origin=f"convoys-{count}.txt", publisher="Wire")


@pytest.mark.parametrize("count", [50, 500])
def test_the_finder_renders_in_a_fixed_number_of_queries(login, editor, entry, count, django_assert_max_num_queries):
    many_passages(count)
    client = login(editor)
    with django_assert_max_num_queries(6 if on_postgres() else 7):  # SQLite: the ranked ids, then their rows
        response = client.get(finder(entry, q="convoy report"))
    assert response.text.count('<li class="hit') == 20
    assert Passage.objects.count() > count
