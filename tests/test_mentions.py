"""Date mentions: every date expression of the seed articles, found and resolved as a careful reader would."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from factline import dates
from factline.mentions import MAX_MENTIONS, find
from factline.models import DateMention, Source
from factline.seeds import SEEDS_DIR
from factline.services import source_update

# For each seed article, every date expression of its citable passages (and its byline), in reading
# order, with the value it resolves to from the publication date seeds/sources.json gives it (None:
# left unresolved, with the reason saying why). Written out by hand from the articles.
EXPECTED = {
    # c. 2023 (what its content claims): every date in it is a year, which needs no anchor.
    "000_57bf6ddeb5d004d0.txt": [
        ("2012", "2012"),
        ("2013", "2013"),
        ("2015", "2015"),
        ("over the past decade", None),  # a duration
        ("2012", "2012"),
        ("2013", "2013"),
        ("2021", "2021"),
        ("2023", "2023"),
    ],
    # c. June 2023.
    "001_93716cde958e498d.txt": [
        ("decade-long", None),
        ("by the end of the year", "2023-12"),
        ("two weeks after", None),  # counted from Diop's call, an event
        ("2020", "2020"),
        ("for over a decade", None),
        ("2013", "2013"),
        ("2013", "2013"),
        ("2015", "2015"),
    ],
    # June 2023.
    "002_31fad5cfb2ade42c.txt": [
        ("decade-long", None),
        ("by the end of this month", "2023-06"),
        ("within six months", None),
        ("2021", "2021"),
        ("Earlier this month", "2023-06"),
        ("last weekend", None),  # needs a day; the article is dated to the month
    ],
    # June 2023.
    "003_c53717da42c67fe4.txt": [
        ("on Friday", None),  # a weekday against a month: too coarse
        ("decade-long", None),
        ("2013", "2013"),
        ("2012", "2012"),
        ("2015", "2015"),
        ("next year", "2024"),
        ("2021", "2021"),
        ("2020", "2020"),
        ("2021", "2021"),
        ("May", "2023-05"),
        ("last year", "2022"),
        ("June 16", "2023-06-16"),
        ("for another year", None),
        ("on Saturday", None),
        ("by December 31", "2023-12-31"),
    ],
    # 9 July 2024, in English as written in Europe (day/month).
    "004_83a647917034a0e8.txt": [
        ("09/07/2024", "2024-07-09"),
        ("April 25, 2013", "2013-04-25"),
        ("July 1, 2013", "2013-07-01"),
        ("July 1, 2024", "2024-07-01"),
        ("2022", "2022"),
    ],
}


def mentions_of(origin: str) -> list[DateMention]:
    return list(DateMention.objects.filter(passage__source__origin=origin).order_by("passage__number", "start"))


@pytest.mark.parametrize("origin", sorted(EXPECTED))
def test_every_date_of_each_seed_article_is_found_and_resolved(seeded, origin):
    found = mentions_of(origin)
    assert [(m.text, m.value_iso) for m in found] == EXPECTED[origin]
    for mention in found:
        assert mention.passage.text[mention.start : mention.end] == mention.text
        assert mention.reason
        assert not mention.passage.boilerplate or mention.passage.boilerplate_reason == "byline"


def test_the_reasons_say_how_each_date_was_worked_out(seeded):
    by_text = {m.text: m for m in mentions_of("003_c53717da42c67fe4.txt")}
    assert by_text["last year"].reason == "“last year” in an article of June 2023 → 2022."
    assert "too coarse" in by_text["on Friday"].reason and "June 2023" in by_text["on Friday"].reason
    assert by_text["by December 31"].reason.startswith("A deadline")
    assert by_text["2020"].kind == "list" and "“2020 and 2021”" in by_text["2020"].reason
    iotti = mentions_of("004_83a647917034a0e8.txt")[0]
    assert "day/month" in iotti.reason and "en-150" in iotti.reason and "7 September 2024" in iotti.reason
    assert {m.kind for m in mentions_of("001_93716cde958e498d.txt")} == {"duration", "relative", "absolute"}


def test_the_seed_sources_carry_the_publication_dates_their_text_supports(seeded):
    assert {source.origin[:3]: source.published_display for source in Source.objects.all()} == {
        "000": "c. 2023",
        "001": "c. June 2023",
        "002": "June 2023",
        "003": "June 2023",
        "004": "9 July 2024",
    }
    notes = {meta["file"][:3]: meta["note"] for meta in json.loads((SEEDS_DIR / "sources.json").read_text())["sources"]}
    assert all(len(note) > 100 for note in notes.values())  # each says how its date was worked out, or why none


def test_numeric_dates_are_read_the_way_the_language_writes_them():
    (us,) = find("Signed 09/07/2024.", language="en")
    (europe,) = find("Signed 09/07/2024.", language="en-GB")
    (only,) = find("Signed 13/07/2024.", language="en")
    assert (us.value_iso, europe.value_iso, only.value_iso) == ("2024-09-07", "2024-07-09", "2024-07-13")
    assert "can only be the day" in only.reason


def test_relative_dates_resolve_as_far_as_the_publication_date_allows():
    text = "He left on Friday, last week, and will return on Friday. It rained yesterday and last year."
    day = find(text, published=dates.parse("2023-06-28"))  # a Wednesday
    assert [(m.text, m.value_iso) for m in day] == [
        ("on Friday", "2023-06-23"),
        ("last week", "2023-06"),
        ("on Friday", "2023-06-30"),  # "will": the coming one
        ("yesterday", "2023-06-27"),
        ("last year", "2022"),
    ]
    assert "19 June 2023 to 25 June 2023" in day[1].reason
    month = find(text, published=dates.parse("2023-06"))
    assert [m.value_iso for m in month] == [None, None, None, None, "2022"]
    undated = find(text)
    assert all(m.value is None and "has none" in m.reason for m in undated)


def test_an_approximate_publication_date_makes_what_it_cannot_settle_approximate():
    (settled,) = find("It began last year.", published=dates.parse("c. June 2023"))
    (unsettled,) = find("It began last year.", published=dates.parse("c. 2023"))
    assert (settled.value_iso, settled.approximate) == ("2022", False)
    assert (unsettled.value_iso, unsettled.approximate) == ("2022", True)
    assert "approximate" in unsettled.reason


def test_ranges_lists_and_durations():
    found = find("From 2013 to 2024, and again in 2020, 2021 and 2022, the decade-long mission stayed.")
    assert [(m.text, m.kind) for m in found] == [
        ("2013", "range"),
        ("2024", "range"),
        ("2020", "list"),
        ("2021", "list"),
        ("2022", "list"),
        ("decade-long", "duration"),
    ]
    assert found[0].reason.startswith("Start of the range “2013 to 2024”")
    assert found[-1].value is None


def test_numbers_that_are_not_years_and_words_that_are_not_months_are_left_alone():
    text = "Resolution 2100 sent 13,000 troops and $2013 in aid; it may end. 1,000 fighters remain."
    assert find(text) == []


def test_other_languages_read_through_dateparser():
    found = find("La mission a commencé le 1 juillet 2013 et s'est achevée en juillet 2024.", language="fr")
    assert [(m.text, m.value_iso) for m in found] == [("1 juillet 2013", "2013-07-01"), ("juillet 2024", "2024-07")]


def test_the_work_per_passage_is_bounded():
    found = find(" ".join(["2013"] * (MAX_MENTIONS * 5)))
    assert len(found) == MAX_MENTIONS


def test_changing_a_sources_date_resolves_its_mentions_again(source, editor, timeline):
    source_update(source=source, actor=editor, published=datetime.date(2023, 6, 30), published_precision="day")
    friday = DateMention.objects.get(passage__source=source, text="on Friday")
    assert friday.value_iso == "2023-06-30"  # the article's own weekday
    source_update(source=source, actor=editor, published=datetime.date(2023, 6, 1), published_precision="month")
    friday = DateMention.objects.get(passage__source=source, text="on Friday")
    assert friday.value is None and "too coarse" in friday.reason


def test_find_dates_recomputes_every_source(source):
    DateMention.objects.all().delete()
    out = io.StringIO()
    call_command("find_dates", stdout=out)
    assert DateMention.objects.filter(passage__source=source).count() == 2  # "on Friday", "2013"
    assert out.getvalue().strip() == "2 date expressions found."
