"""The seed corpus: the five articles, their metadata and the demo timeline."""

import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from factline.models import Citation, Entry, Passage, Source, Timeline
from factline.seeds import SEEDS_DIR


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (Source, Passage, Timeline, Entry, Citation)
    return {m.__name__: m.objects.count() for m in models} | {
        f"history of {m.__name__}": m.history.count() for m in models
    }


@pytest.fixture
def exported(seeded) -> dict:
    return json.loads(run("export_timeline", "mali"))


def test_loading_the_seeds_twice_leaves_the_same_counts(db):
    first = run("load_seeds")
    after_first = counts()
    second = run("load_seeds")
    assert counts() == after_first
    assert "Sources: 5 imported" in first
    assert "0 imported, 5 already there" in second and "left as it is" in second
    assert after_first["Source"] == 5 and after_first["Timeline"] == 1


def test_the_demo_timeline_has_32_published_entries_from_2012_to_2024_and_two_drafts(exported):
    entries = exported["entries"]
    assert exported["timeline"]["slug"] == "mali"
    assert exported["timeline"]["title"] == "Mali and the end of MINUSMA"
    published = [e for e in entries if e["status"] == "published"]
    assert (len(entries), len(published), sum(e["disputed"] for e in entries)) == (34, 32, 4)
    years = {int(e["start"][:4]) for e in published}
    assert min(years) == 2012 and max(years) == 2024
    # What rests on the article rated unreliable alone stays a draft, said to be so.
    drafts = [e["headline"] for e in entries if e["status"] == "draft"]
    assert drafts == [
        "Military coup in 2012, according to one unreliable article",
        "US halts support for the UN mission, according to one unreliable article",
    ]


def test_every_approximate_date_of_the_demo_says_how_it_was_worked_out(exported):
    approximate = [e for e in exported["entries"] if e["approximate"]]
    assert len(approximate) == 18
    assert all(len(e["date_note"]) > 40 for e in approximate)
    mutiny = next(e for e in exported["entries"] if e["headline"].startswith("Wagner mutiny"))
    assert (mutiny["start"], mutiny["end"], mutiny["approximate"]) == ("2023-06", None, True)  # no source gives a day
    assert "last weekend" in mutiny["date_note"]


def test_related_entries_link_to_each_other_but_a_published_one_never_to_a_draft(seeded):
    entries = {e.headline: e for e in Entry.objects.filter(timeline=seeded)}
    deadline = entries["Deadline for withdrawing all MINUSMA personnel"]
    iotti = entries["MINUSMA withdrawn on 1 July 2024, according to Luca Iotti"]
    assert f"[Deadline for withdrawing all MINUSMA personnel](#entry-{deadline.pk})" in iotti.body
    assert f"(#entry-{iotti.pk})" in deadline.body
    halt = entries["US halts support for the UN mission, according to one unreliable article"]
    vote = entries["Security Council votes unanimously to end MINUSMA"]
    assert f"(#entry-{vote.pk})" in halt.body  # a draft may point to what is published
    assert f"#entry-{halt.pk}" not in vote.body and "US halts" not in vote.body
    assert vote.body.endswith(".") and vote.body.splitlines()[-1].startswith("See also: [")
    history = vote.history.order_by("history_date").values_list("history_action", "history_note")
    assert ("loaded", "Loaded from the seed timeline's cross-references") in list(history)


def test_a_cross_reference_to_no_entry_stops_loading(db, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    timeline = json.loads((seeds / "mali-timeline.json").read_text(encoding="utf-8"))
    timeline["entries"][0]["related"] = ["An entry nobody wrote"]
    (seeds / "mali-timeline.json").write_text(json.dumps(timeline), encoding="utf-8")
    with pytest.raises(CommandError, match="related to “An entry nobody wrote”, which is no other entry"):
        call_command("load_seeds", "--dir", str(seeds), stdout=io.StringIO())
    assert not Timeline.objects.exists()


def test_every_quote_is_word_for_word_in_its_passage_and_none_is_boilerplate(exported):
    boilerplate = set(Passage.objects.filter(boilerplate=True).values_list("pk", flat=True))
    for entry in exported["entries"]:
        assert any(c["stance"] == "supports" for c in entry["citations"]), entry["headline"]
        for citation in entry["citations"]:
            assert citation["quote"] in citation["passage"]["text"], (entry["headline"], citation["quote"])
            assert citation["passage"]["id"] not in boilerplate


def test_the_disagreements_between_sources_are_disputed_entries(exported):
    disputed = [e for e in exported["entries"] if e["disputed"]]
    assert len(disputed) >= 3
    for entry in disputed:
        stances = {c["stance"] for c in entry["citations"]}
        assert {"supports", "contradicts"} <= stances
    quoted = " ".join(c["quote"] for e in disputed for c in e["citations"])
    for words in ("2020", "2021", "15,000", "13,000", "December 31", "July 1, 2024"):
        assert words in quoted, words


def test_dates_are_exported_at_their_precision(exported):
    by_precision = {e["precision"]: e["start"] for e in exported["entries"]}
    assert len(by_precision["year"]) == 4 and len(by_precision["month"]) == 7 and len(by_precision["day"]) == 10


def test_source_metadata_comes_from_the_articles_themselves(seeded):
    iotti = Source.objects.get(origin="004_83a647917034a0e8.txt")
    assert (iotti.author, str(iotti.published)) == ("Luca Iotti", "2024-07-09")
    assert Source.objects.get(origin="002_31fad5cfb2ade42c.txt").publisher == "Atlas News"
    # Nothing in the explainer names its publisher, so neither do we.
    assert Source.objects.get(origin="003_c53717da42c67fe4.txt").publisher == ""


def test_export_sources_offers_no_ad_sponsor_comment_form_or_related_line_as_citable(seeded):
    sources = json.loads(run("export_sources"))["sources"]
    assert len(sources) == 5
    citable = [p["text"] for s in sources for p in s["passages"] if not p["boilerplate"]]
    for noise in (
        "Aluminum Wire",
        "Pet First Aid",
        "Sponsor",
        "Leave a Reply",
        "Your email address",
        "Related:",
        "```",
        "Unbiased & Unfiltered",
        "Reading time",
        "Week's Top Stories",
    ):
        assert not [text for text in citable if noise in text], noise


def test_every_passage_is_its_sources_text_between_its_offsets(seeded):
    for passage in Passage.objects.select_related("source"):
        assert passage.source.text[passage.start : passage.end] == passage.text


def test_a_quote_missing_from_its_source_stops_loading_and_names_entry_and_quote(db, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    timeline = json.loads((seeds / "mali-timeline.json").read_text(encoding="utf-8"))
    entry = timeline["entries"][3]
    entry["citations"][0]["quote"] = "an invented quote"
    (seeds / "mali-timeline.json").write_text(json.dumps(timeline), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("load_seeds", "--dir", str(seeds))
    assert entry["headline"] in str(caught.value) and "“an invented quote”" in str(caught.value)
    assert not Timeline.objects.exists() and not Source.objects.exists()


def test_import_source_refuses_bad_files_with_one_line(db, tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 au Mali".encode("latin-1"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for path, message in [(latin, "latin.txt: not UTF-8 text"), (empty, "empty.txt: the file is empty.")]:
        with pytest.raises(CommandError, match=message) as caught:
            call_command("import_source", str(path))
        assert "\n" not in str(caught.value)
    article = SEEDS_DIR / "articles" / "003_c53717da42c67fe4.txt"
    assert "Imported 003_c53717da42c67fe4.txt" in run("import_source", str(article))
    with pytest.raises(CommandError, match="already imported as source"):
        call_command("import_source", str(article))
    assert Source.objects.count() == 1


def seeds_with(tmp_path, **top_level):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    timeline = json.loads((seeds / "mali-timeline.json").read_text())
    timeline.update(top_level)
    (seeds / "mali-timeline.json").write_text(json.dumps(timeline))
    return seeds


def test_the_demo_timelines_ratings_are_loaded_into_it_and_nowhere_else(db, tmp_path):
    from factline.models import SourceRating

    ratings = [
        {"source": "002_31fad5cfb2ade42c.txt", "reliability": "unreliable", "reason": "Sells prepper gear."},
        {"source": "003_c53717da42c67fe4.txt", "reliability": "reliable", "reason": ""},
    ]
    out = run("load_seeds", "--dir", str(seeds_with(tmp_path, ratings=ratings)))
    assert "2 ratings" in out
    loaded = SourceRating.objects.select_related("timeline", "source").order_by("source__origin")
    assert [(r.timeline.slug, r.source.origin, r.reliability, r.reason) for r in loaded] == [
        ("mali", "002_31fad5cfb2ade42c.txt", "unreliable", "Sells prepper gear."),
        ("mali", "003_c53717da42c67fe4.txt", "reliable", ""),
    ]
    before = counts() | {"ratings": SourceRating.history.count()}
    run("load_seeds", "--dir", str(tmp_path / "seeds"))
    assert counts() | {"ratings": SourceRating.history.count()} == before


@pytest.mark.parametrize(
    ("rating", "words"),
    [
        ({"source": "missing.txt", "reliability": "mixed"}, "'missing.txt', which is not in sources.json"),
        ({"source": "002_31fad5cfb2ade42c.txt", "reliability": "great"}, "use one of reliable, mixed, unreliable"),
    ],
)
def test_a_bad_rating_stops_loading_and_says_why(db, tmp_path, rating, words):
    with pytest.raises(CommandError, match=words):
        call_command("load_seeds", "--dir", str(seeds_with(tmp_path, ratings=[rating])), stdout=io.StringIO())
    assert not Timeline.objects.exists()
