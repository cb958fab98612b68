import pytest

from factline.quotes import MAX_QUOTE_WORDS, QuoteNotFound, anchor, closest, fold

TEXT = "The mission, comprising 13,000 peacekeepers, was deployed in 2013 to restore stability."


def test_it_anchors_a_quote_with_offsets_prefix_and_suffix():
    found = anchor(TEXT, "13,000 peacekeepers")
    assert TEXT[found.start : found.end] == "13,000 peacekeepers"
    assert found.prefix.endswith("comprising ")
    assert found.suffix.startswith(", was deployed")


@pytest.mark.parametrize(
    ("passage", "typed", "stored"),
    [
        ("the mission’s mandate ended", "mission's mandate", "mission’s mandate"),  # curly apostrophe, typed straight
        ("the mission's mandate ended", "mission’s mandate", "mission's mandate"),  # and the other way round
        ("he called it “a failure” on Friday", 'it "a failure" on', "it “a failure” on"),  # curly double quotes
        ("known as ‘MINUSMA’ since", "as 'MINUSMA' since", "as ‘MINUSMA’ since"),  # single curly quotes
        ("from 2013 – 2023 in Mali", "2013 - 2023", "2013 – 2023"),  # en dash typed as a hyphen
        ("the junta — in power since 2020 — said", "junta - in power", "junta — in power"),  # em dash
        ("a well‑known figure", "well-known figure", "well‑known figure"),  # non-breaking hyphen
        ("ending this month\u00a0and withdrawing", "this month and", "this month\u00a0and"),  # non-breaking space
        ("thirteen  thousand\n peacekeepers", "thirteen thousand peacekeepers", "thirteen  thousand\n peacekeepers"),
        ("the peace\u00adkeepers left", "peacekeepers left", "peace\u00adkeepers left"),  # a soft hyphen
        ("the peace\u200bkeepers left", "peacekeepers", "peace\u200bkeepers"),  # a zero-width space
        ("voted to end it", "  voted to end \n", "voted to end"),  # spaces around a pasted quote
    ],
)
def test_typographic_differences_are_ignored_and_the_passage_characters_are_stored(passage, typed, stored):
    found = anchor(passage, typed)
    assert found.exact == stored
    assert passage[found.start : found.end] == stored  # the offsets map back exactly


def test_folding_keeps_for_each_character_where_it_came_from():
    folded, origin = fold("a\u00a0\u00a0“b”\u00ad—c ")
    assert folded == 'a "b"-c'
    assert origin == [0, 1, 3, 4, 5, 7, 8]


@pytest.mark.parametrize("quote", ["15,000 peacekeepers", "the mission", "deployed in 2013 to restore  peace", " "])
def test_it_refuses_a_quote_that_is_not_there_word_for_word(quote):
    with pytest.raises(QuoteNotFound):
        anchor(TEXT, quote)


def test_letters_case_and_punctuation_still_count():
    for quote in ("the Mission", "13.000 peacekeepers", "deployed in 2013, to restore"):
        with pytest.raises(QuoteNotFound):
            anchor(TEXT, quote)


def test_no_match_shows_the_closest_stretch_with_the_differing_words_marked():
    with pytest.raises(QuoteNotFound) as refused:
        anchor(TEXT, "comprising 15,000 peacekeepers, was sent in 2013")
    message = refused.value.message
    assert message.startswith("The quote is not in the passage word for word. Closest:")
    assert (
        '<q class="closest">… comprising <mark>13,000</mark> peacekeepers, was <mark>deployed</mark> in 2013 …</q>'
        in (message)
    )
    assert "(your words not there: 15,000 sent)" in message


def test_the_closest_stretch_is_escaped_and_names_the_passage_characters():
    passage = "He said <b>“no”</b> & left on Friday."
    near = closest(passage, 'said <b>"yes"</b> & left')
    assert [word for word, differs in near.words if differs] == ["<b>“no”</b>"]
    with pytest.raises(QuoteNotFound) as refused:
        anchor(passage, 'said <b>"yes"</b> & left')
    assert "<mark>&lt;b&gt;“no”&lt;/b&gt;</mark>" in refused.value.message and "<b>" not in refused.value.message


def test_a_quote_sharing_no_word_says_so():
    with pytest.raises(QuoteNotFound, match="none of its words are"):
        anchor(TEXT, "banana split")


def test_the_closest_stretch_search_is_bounded_for_long_quotes_and_passages():
    passage = " ".join(f"word{i}" for i in range(5000))
    quote = " ".join(f"word{i}" for i in range(100, 100 + 2 * MAX_QUOTE_WORDS)) + " missing"
    near = closest(passage, quote)
    assert len(near.words) <= 2 * MAX_QUOTE_WORDS + 4


def test_it_checks_a_quote_at_a_given_offset():
    start = TEXT.index("2013")
    assert anchor(TEXT, "2013", start).start == start
    with pytest.raises(QuoteNotFound):
        anchor(TEXT, "2013", start + 1)
