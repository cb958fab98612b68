"""Passage search: full-text search with a GIN index on PostgreSQL, every-word matching on SQLite."""

import datetime

import pytest
from django.db import connection

from factline.search import highlight, passage_search, search_terms
from factline.services import citation_create, entry_create, source_import

WITHDRAWAL = (
    "UN leaves Mali\n\n"
    "The withdrawal of the peacekeepers was completed in December.\n\n"
    "France had already withdrawn its troops from the country.\n\n"
    "Leave a Reply\n\n"
    "The withdrawal of the peacekeepers was a mistake, says a commenter.\n"
)


@pytest.fixture
def withdrawal(db):
    return source_import(data=WITHDRAWAL.encode(), origin="withdrawal.txt", publisher="Wire")


def texts(hits) -> list[str]:
    return [hit.text for hit in hits]


def test_it_finds_passages_that_hold_every_word(source):
    hits = passage_search("unanimously council")
    assert texts(hits) == ["The Security Council voted unanimously on Friday to end the mission."]
    assert hits[0].source == source


def test_a_passage_missing_one_of_the_words_is_not_found(source):
    assert passage_search("unanimously peacekeepers") == []


def test_an_empty_query_finds_nothing_without_asking_the_database(source, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert passage_search("   ") == []
        assert passage_search("-mission") == []  # only leaving words out asks for nothing


def test_boilerplate_is_never_found(withdrawal):
    # The comment after "Leave a Reply" is page footer: stored, never offered.
    found = texts(passage_search("withdrawal peacekeepers"))
    assert found == ["The withdrawal of the peacekeepers was completed in December."]
    assert passage_search("leave reply") == []


def test_excluded_words_leave_passages_out(withdrawal, source):
    found = texts(passage_search("mission -peacekeepers"))
    assert found == ["The Security Council voted unanimously on Friday to end the mission."]


def test_the_matched_words_are_marked_in_the_escaped_text(db):
    source_import(data=b"Title\n\nThe <b>vote</b> & the veto were both cast.\n", origin="tags.txt")
    [hit] = passage_search("vote veto")
    assert str(hit.highlighted) == (
        "The &lt;b&gt;<mark>vote</mark>&lt;/b&gt; &amp; the <mark>veto</mark> were both cast."
    )


def test_full_text_search_finds_other_forms_of_a_word_on_postgresql_and_every_word_on_sqlite(withdrawal):
    hits = passage_search("withdrawing")
    if connection.vendor == "postgresql":
        # Stemming: "withdrawing" and "withdrawal" share the stem "withdraw" ("withdrawn" keeps its own).
        assert texts(hits) == ["The withdrawal of the peacekeepers was completed in December."]
        assert str(hits[0].highlighted) == "The <mark>withdrawal</mark> of the peacekeepers was completed in December."
        assert hits[0].rank > 0
    else:
        # The fallback matches the words as typed: the start of a word, in any case, but no stemming.
        assert hits == []
        found = {hit.number: str(hit.highlighted) for hit in passage_search("WITHDRAW")}
        assert found == {
            2: "The <mark>withdrawal</mark> of the peacekeepers was completed in December.",
            3: "France had already <mark>withdrawn</mark> its troops from the country.",
        }


def test_the_search_uses_the_gin_index_on_postgresql_and_sqlite_has_none(withdrawal):
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "factline_passage")
    if connection.vendor == "postgresql":
        assert indexes["passage_text_search"]["type"] == "gin"
        from factline import search
        from factline.models import Passage

        with connection.cursor() as cursor:
            # With three rows the planner would scan the table anyway; forbid that to see the index is usable.
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = search._postgres(Passage.objects.filter(boilerplate=False), "withdrawal").explain()
        assert "passage_text_search" in plan
    else:
        assert "passage_text_search" not in indexes
        assert texts(passage_search("withdrawal")) == ["The withdrawal of the peacekeepers was completed in December."]


def test_the_best_matches_come_first(db):
    source_import(
        data=(
            b"Ranking\n\n"
            b"The mission ended, and the peace process stalled for a long time after the vote.\n\n"
            b"The peace mission ended.\n"
        ),
        origin="ranking.txt",
    )
    # On SQLite the words side by side as typed come first; on PostgreSQL, the denser match ranks higher.
    assert texts(passage_search("peace mission"))[0] == "The peace mission ended."


def test_it_says_which_passages_the_entry_already_cites(timeline, owner, source, passage):
    entry = entry_create(actor=owner, timeline=timeline, start=datetime.date(2023, 6, 30), headline="Vote")
    citation_create(actor=owner, entry=entry, passage=passage)
    hits = passage_search("mission", entry=entry)
    assert {hit.number: hit.cited for hit in hits} == {2: True, 3: False}


def many(count: int) -> None:
    lines = "\n".join(f"Patrol {n} reported a convoy on the northern road." for n in range(count))
    source_import(data=f"Patrols\n{lines}\n".encode(), origin=f"patrols-{count}.txt")


@pytest.mark.parametrize("count", [50, 500])
def test_it_searches_in_one_query_whatever_the_number_of_passages(db, count, django_assert_max_num_queries):
    many(count)
    with django_assert_max_num_queries(1):
        hits = passage_search("convoy northern road", limit=20)
        html = [str(hit.highlighted) + hit.source.title for hit in hits]
    assert len(html) == 20


def test_search_terms_read_words_phrases_exclusions_and_possessives():
    assert search_terms('"Security Council" Mali\'s U.S. -Wagner or ') == (
        ["security", "council", "mali", "u.s"],
        ["wagner"],
    )
    assert search_terms("l'ONU d’Afrique Goïta’s") == (["onu", "afrique", "goïta"], [])


def test_a_short_word_is_found_as_a_word_not_inside_others(db):
    source_import(
        data="Title\n\nThe UN mission left.\n\nFunding was cut (UN-backed).\n\nLe départ de l’ONU.\n".encode(),
        origin="un.txt",
    )
    assert texts(passage_search("UN")) == ["The UN mission left.", "Funding was cut (UN-backed)."]
    assert str(passage_search("mission un")[0].highlighted) == "The <mark>UN</mark> <mark>mission</mark> left."
    assert texts(passage_search("l'ONU")) == ["Le départ de l’ONU."]


def test_highlight_marks_whole_words_in_any_case():
    assert str(highlight("Withdrawals <now>", ["withdraw"])) == "<mark>Withdrawals</mark> &lt;now&gt;"
    assert str(highlight("Funding, UN", ["un"])) == "Funding, <mark>UN</mark>"
    assert str(highlight("a < b", [])) == "a &lt; b"
