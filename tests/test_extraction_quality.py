"""Extraction quality over saved news-like pages, against their articles written out by hand (tests/extraction.py)."""

from tests.extraction import FLOOR_F1, FLOOR_PAGE_F1, citable_text, measure, pages, report


def test_there_are_enough_varied_pages_each_with_its_article_written_out():
    names = [name for name, _html, expected in pages() if expected.strip()]
    assert len(names) >= 6


def test_the_citable_text_holds_the_article_and_little_else(capsys):
    rows = measure(citable_text)
    with capsys.disabled():
        mean = report("Extraction quality (token precision, recall, F1 of the citable text)", rows)
    assert mean >= FLOOR_F1
    assert all(f1 >= FLOOR_PAGE_F1 for _name, _p, _r, f1 in rows), rows
    assert all(recall >= 0.98 for _name, _p, recall, _f1 in rows), "an article's own words were lost"
