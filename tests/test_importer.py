"""The boilerplate rules, shown line by line on every seed article."""

from pathlib import Path

import pytest

from factline.importer import split_passages

ARTICLES = Path(__file__).resolve().parent.parent / "seeds" / "articles"


def passages_of(name: str):
    text = (ARTICLES / name).read_text(encoding="utf-8")
    return text, split_passages(text)


def starting(passages, prefix: str):
    matches = [p for p in passages if p.text.startswith(prefix)]
    assert matches, f"no passage starts with {prefix!r}"
    return matches


# (article, start of a line, expected boilerplate reason or "" for a citable line)
CASES = [
    ("000_57bf6ddeb5d004d0.txt", "US Halts UN Peacekeeping Support", ""),
    ("000_57bf6ddeb5d004d0.txt", "Background & Context", ""),
    ("000_57bf6ddeb5d004d0.txt", "```html", "markdown fence"),
    ("000_57bf6ddeb5d004d0.txt", "```", "markdown fence"),
    ("000_57bf6ddeb5d004d0.txt", "Key Developments & Timeline", ""),
    ("000_57bf6ddeb5d004d0.txt", "- 2021 - A military junta takes power", ""),
    ("000_57bf6ddeb5d004d0.txt", "“We cannot support mission", ""),
    ("000_57bf6ddeb5d004d0.txt", "Aluminum Wire – Build, snare, or bind", "advertisement"),
    ("000_57bf6ddeb5d004d0.txt", "Pet First Aid – Be ready", "advertisement"),
    ("000_57bf6ddeb5d004d0.txt", "Related: Rising Tensions Over Kashmir", "related link"),
    ("000_57bf6ddeb5d004d0.txt", "Related: Russia Escalates Drone Attacks", "related link"),
    ("001_93716cde958e498d.txt", "The UN Security Council has voted unanimously", ""),
    ("001_93716cde958e498d.txt", "Litary group Wagner", ""),
    ("001_93716cde958e498d.txt", "The withdrawal of UN troops from Mali, prompted", ""),
    ("002_31fad5cfb2ade42c.txt", "The United Nations is reportedly planning", ""),
    ("002_31fad5cfb2ade42c.txt", "The future of Wagner Group remains uncertain", ""),
    ("002_31fad5cfb2ade42c.txt", "Unbiased & Unfiltered News Reporting", "site tagline"),
    ("002_31fad5cfb2ade42c.txt", "- Sponsor -spot_img", "sponsor line"),
    ("002_31fad5cfb2ade42c.txt", "Week's Top Stories", "page footer"),
    ("002_31fad5cfb2ade42c.txt", "More In This Category", "page footer"),
    ("002_31fad5cfb2ade42c.txt", "Argentine Senate Passes Bases Law", "page footer"),
    ("002_31fad5cfb2ade42c.txt", "Cyril Ramaphosa has been re-elected", "page footer"),
    ("003_c53717da42c67fe4.txt", "EXPLAINED: Why is Mali kicking out", ""),
    ("003_c53717da42c67fe4.txt", "The mission, comprising 13,000 peacekeepers", ""),
    ("003_c53717da42c67fe4.txt", "The signatories of the Algiers Accord", ""),
    ("003_c53717da42c67fe4.txt", "Leave a Reply", "comment form"),
    ("003_c53717da42c67fe4.txt", "Your email address will not be published.", "comment form"),
    ("004_83a647917034a0e8.txt", "The UN leaves Mali: violence escalates", ""),
    ("004_83a647917034a0e8.txt", "Luca Iotti . 09/07/2024 . Reading time", "byline"),
    ("004_83a647917034a0e8.txt", "The withdrawal of the peacekeeping forces", ""),
    ("004_83a647917034a0e8.txt", "Since the French troops withdrew from Mali in 2022", ""),
    ("004_83a647917034a0e8.txt", "Leave a Reply", "comment form"),
]


@pytest.mark.parametrize(("article", "line", "reason"), CASES)
def test_each_line_of_the_seed_articles_is_kept_or_dropped_as_expected(article, line, reason):
    _, passages = passages_of(article)
    for passage in starting(passages, line):
        assert passage.boilerplate_reason == reason, passage.text


def test_a_repeated_title_line_is_boilerplate_but_the_title_is_not():
    _, passages = passages_of("002_31fad5cfb2ade42c.txt")
    title, repeat = starting(passages, "UN to End Peacekeeping Mission in Mali, Per Reuters")
    assert (title.number, title.kind, title.boilerplate) == (1, "title", False)
    assert repeat.boilerplate_reason == "repeated title"


def test_the_lines_between_markdown_fences_stay_citable():
    _, passages = passages_of("000_57bf6ddeb5d004d0.txt")
    numbers = [p.number for p in passages if p.text.startswith("```")]
    inside = [p for p in passages if numbers[0] < p.number < numbers[1]]
    assert len(inside) == 8
    assert not any(p.boilerplate for p in inside)


@pytest.mark.parametrize("article", sorted(p.name for p in ARTICLES.glob("*.txt")))
def test_every_passage_is_exactly_the_text_between_its_offsets(article):
    text, passages = passages_of(article)
    assert [p.number for p in passages] == list(range(1, len(passages) + 1))
    for passage in passages:
        assert text[passage.start : passage.end] == passage.text
        assert passage.text == passage.text.strip() and passage.text


@pytest.mark.parametrize(
    ("article", "citable", "dropped"),
    [
        ("000_57bf6ddeb5d004d0.txt", 18, 6),
        ("001_93716cde958e498d.txt", 17, 0),
        ("002_31fad5cfb2ade42c.txt", 5, 14),
        ("003_c53717da42c67fe4.txt", 16, 2),
        ("004_83a647917034a0e8.txt", 3, 3),
    ],
)
def test_each_seed_article_has_the_expected_number_of_citable_passages(article, citable, dropped):
    _, passages = passages_of(article)
    assert sum(not p.boilerplate for p in passages) == citable
    assert sum(p.boilerplate for p in passages) == dropped


def test_windows_line_endings_give_the_same_passages():
    passages = split_passages("Title\r\n\r\nFirst paragraph.\r\nSecond paragraph.\r\n")
    assert [p.text for p in passages] == ["Title", "First paragraph.", "Second paragraph."]
