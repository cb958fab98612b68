"""Passage search: full-text search on both databases (PostgreSQL tsvector + GIN, SQLite FTS5), answering alike."""

import datetime

import pytest
from django.db import connection

from factline import search
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


def test_both_databases_find_other_forms_of_a_word(withdrawal):
    # Stemming on both: "withdrawing" and "withdrawal" share the stem "withdraw" ("withdrawn" keeps its own).
    hits = passage_search("withdrawing")
    assert texts(hits) == ["The withdrawal of the peacekeepers was completed in December."]
    assert str(hits[0].highlighted) == "The <mark>withdrawal</mark> of the peacekeepers was completed in December."


def test_the_search_uses_its_index_on_each_database(withdrawal):
    from factline.models import Passage

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            indexes = connection.introspection.get_constraints(cursor, "factline_passage")
            assert indexes["passage_search_vector"]["type"] == "gin" and "passage_text_search" not in indexes
            # With three rows the planner would scan the table anyway; forbid that to see the index is usable.
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = search._postgres(Passage.objects.filter(boilerplate=False), "withdraw").explain()
            assert "passage_search_vector" in plan
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'factline_passage'")
            triggers = {row[0] for row in cursor.fetchall()}
            assert triggers == {f"factline_passage_fts_{what}" for what in ("insert", "update", "delete")}
            cursor.execute(
                "EXPLAIN QUERY PLAN " + search.SQLITE_RANKED, ["[", "]", '("withdrawal")', '("withdrawal")', 20]
            )
            plan = " / ".join(str(row[-1]) for row in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan, plan
            # No subquery per hit re-running the match (quadratic in the hits): the ranked ids are one list.
            assert "CORRELATED" not in plan, plan


@pytest.fixture
def phrases(db):
    return source_import(
        data=(
            b"Phrases\n\n"
            b"The Security Council voted to end the mission.\n\n"
            b"The council of elders met; security was tight.\n\n"
            b"Peacekeepers patrolled near Kidal and Gao.\n\n"
            b"Peacekeeping operations ended in December.\n\n"
            b"Al-Qaeda-linked fighters attacked a convoy.\n"
        ),
        origin="phrases.txt",
    )


def test_a_quoted_phrase_finds_the_words_side_by_side_only(phrases):
    assert texts(passage_search('"security council"')) == ["The Security Council voted to end the mission."]
    assert len(passage_search("security council")) == 2  # unquoted, both passages hold both words
    assert texts(passage_search('"council security"')) == []
    assert texts(passage_search('"al-qaeda linked"')) == ["Al-Qaeda-linked fighters attacked a convoy."]


def test_a_prefix_finds_every_word_that_begins_so(phrases):
    assert texts(passage_search("peacekeep*")) == [
        "Peacekeeping operations ended in December.",  # one match each: the shorter passage ranks first
        "Peacekeepers patrolled near Kidal and Gao.",
    ]
    assert texts(passage_search("patrol* Kid*")) == ["Peacekeepers patrolled near Kidal and Gao."]
    assert texts(passage_search('"near Kid*"')) == ["Peacekeepers patrolled near Kidal and Gao."]


def test_exclusions_of_words_and_phrases_leave_passages_out(phrases):
    assert texts(passage_search("council -elders")) == ["The Security Council voted to end the mission."]
    assert texts(passage_search('council -"security council"')) == ["The council of elders met; security was tight."]
    assert passage_search("-council") == []


def test_the_denser_match_ranks_first_on_both_databases(db):
    source_import(
        data=(
            b"Ranking\n\n"
            b"The mission ended, and the peace process stalled for a long time after the vote in New York.\n\n"
            b"The peace mission ended.\n\n"
            b"Peace, peace and peace again: the mission of peace.\n"
        ),
        origin="ranking.txt",
    )
    assert texts(passage_search("peace mission")) == [
        "Peace, peace and peace again: the mission of peace.",
        "The peace mission ended.",
        "The mission ended, and the peace process stalled for a long time after the vote in New York.",
    ]


@pytest.mark.parametrize(
    "query",
    [
        '"unclosed phrase',
        'a "b" "" "',
        "(mission) OR (council",
        "mission AND NOT council NEAR(a b)",
        "council:* & !mission | <-> ''",
        "\x00mission\x00",
        "*",
        "-",
        "col:text mission^ {a b}",
        "mission " * 100,
        "é" * 400,
        "😀 mission 🇲🇱",
    ],
)
def test_no_query_is_a_syntax_error(phrases, query):
    passage_search(query)  # never raises, whatever was typed


def test_the_finder_page_never_500s_on_odd_queries(client, login, editor, timeline, phrases):
    from django.urls import reverse

    entry = entry_create(actor=editor, timeline=timeline, start=datetime.date(2023, 6, 30), headline="Vote")
    url = reverse("entry-cite", args=[timeline.slug, entry.pk])
    client = login(editor)
    for query in ('"security', "(council", "a\x00b", "x" * 1000, '-"council"', "secur*"):
        assert client.get(url, {"q": query}).status_code == 200


def test_parse_reads_words_phrases_prefixes_and_exclusions():
    terms = search.parse('"Security Council" peace* -Wagner -"armed groups" the or AND')
    assert terms == [
        search.Term(("security", "council")),
        search.Term(("peace",), prefix=True),
        search.Term(("wagner",), negated=True),
        search.Term(("armed", "groups"), negated=True),
    ]
    assert search.fts5_query(terms) == '("security council" AND "peace"*) NOT "wagner" NOT "armed groups"'
    assert search.tsquery(terms) == "(security <-> council) & peace:* & !(wagner) & !(armed <-> groups)"


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
    # PostgreSQL: one; SQLite: the ranked, highlighted ids, then their rows.
    with django_assert_max_num_queries(1 if connection.vendor == "postgresql" else 2):
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


def test_the_search_ranks_on_the_stored_vector_and_never_recomputes_one(withdrawal):
    """Ranking with to_tsvector(text) made the vector again for every match: seconds for a common word."""
    from factline.models import Passage

    passages = Passage.objects.filter(boilerplate=False)
    if connection.vendor == "postgresql":
        plan = search._postgres(passages, "withdraw").explain(verbose=True)
        assert "to_tsvector" not in plan
        assert "ts_rank(factline_passage.search_vector" in plan
    else:
        # The ranked ids and their highlight are each read from the FTS5 index, none from a scan.
        with connection.cursor() as cursor:
            match = '("withdrawal")'
            cursor.execute("EXPLAIN QUERY PLAN " + search.SQLITE_RANKED, ["[", "]", match, match, 20])
            plan = " / ".join(str(row[-1]) for row in cursor.fetchall())
        assert plan.count("VIRTUAL TABLE INDEX") == 2 and "CORRELATED" not in plan, plan
        assert len(search._sqlite(passages, match, 20)) == 1
