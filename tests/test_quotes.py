import pytest

from factline.quotes import QuoteNotFound, anchor

TEXT = "The mission, comprising 13,000 peacekeepers, was deployed in 2013 to restore stability."


def test_it_anchors_a_quote_with_offsets_prefix_and_suffix():
    found = anchor(TEXT, "13,000 peacekeepers")
    assert TEXT[found.start : found.end] == "13,000 peacekeepers"
    assert found.prefix.endswith("comprising ")
    assert found.suffix.startswith(", was deployed")


def test_it_tolerates_only_differences_of_white_space():
    found = anchor("ending this month\u00a0and withdrawing", "this month and")
    assert found.exact == "this month\u00a0and"


@pytest.mark.parametrize("quote", ["15,000 peacekeepers", "the mission", "deployed in 2013 to restore  peace", " "])
def test_it_refuses_a_quote_that_is_not_there_word_for_word(quote):
    with pytest.raises(QuoteNotFound):
        anchor(TEXT, quote)


def test_it_checks_a_quote_at_a_given_offset():
    start = TEXT.index("2013")
    assert anchor(TEXT, "2013", start).start == start
    with pytest.raises(QuoteNotFound):
        anchor(TEXT, "2013", start + 1)
