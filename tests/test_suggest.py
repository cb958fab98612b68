"""Suggested support: ranking, what it shows, one-click citing, its quality on the demo and its query count."""

import datetime

import pytest
from django.urls import reverse

from factline import suggest
from factline.models import Citation, Entry
from factline.models.timelines import Stance
from factline.services import citation_create, entry_create, source_import, source_rate
from tests.test_views_timelines import make_big_timeline, many_passages

# The floors below which suggestion quality must not fall, measured on the demo timeline (README explains them).
RECALL_FLOORS = {5: 0.80, 10: 0.90}


def test_suggestions_rank_by_words_dates_and_reliability(editor, timeline, source):
    entry = entry_create(actor=editor, timeline=timeline, start=datetime.date(2013, 1, 1), precision="year",
                         headline="Peacekeepers deployed")  # fmt: skip
    dated = source_import(data=b"Another\n\nThe force arrived in 2013.\n", origin="dated.txt").passages.get(number=2)
    found = suggest.suggest(entry)
    assert [s.passage.text for s in found][:2] == [
        "The mission, comprising 13,000 peacekeepers, was deployed in 2013.",  # words and date
        dated.text,  # the date alone
    ]
    best = found[0]
    assert best.words == ["peacekeepers", "deployed"] and [m.text for m in best.dates] == ["2013"]
    source_rate(actor=editor, timeline=timeline, source=source, reliability="unreliable")  # this timeline's rating
    assert suggest.suggest(entry)[0].score < best.score


def test_passages_already_cited_are_left_out(editor, timeline, source):
    entry = entry_create(actor=editor, timeline=timeline, start=datetime.date(2013, 1, 1), headline="Deployed")
    deployed = source.passages.get(number=3)
    assert suggest.suggest(entry)[0].passage == deployed
    citation_create(actor=editor, entry=entry, passage=deployed)
    assert deployed not in [s.passage for s in suggest.suggest(entry)]


def test_the_page_shows_why_and_cites_in_one_click(login, editor, timeline, source):
    entry = entry_create(actor=editor, timeline=timeline, start=datetime.date(2013, 1, 1), headline="Deployed")
    client = login(editor)
    url = reverse("entry-suggest", args=[timeline.slug, entry.pk])
    page = client.get(url).text
    assert "Words it shares with the entry: deployed" in page and "<mark>deployed</mark>" in page
    passage = source.passages.get(number=3)
    cited = client.post(
        reverse("entry-cite", args=[timeline.slug, entry.pk]),
        {"passage": passage.pk, "stance": Stance.SUPPORTS, "origin": "suggest", "quote": ""},
    )
    assert cited["Location"] == url
    assert Citation.objects.get(entry=entry).passage == passage


def test_suggestion_quality_on_the_demo_timeline_stays_above_its_floors(seeded):
    scores, trials = suggest.recall(seeded.entries.prefetch_related("citations"))
    figures = f"recall@5 {scores[5]:.3f}, recall@10 {scores[10]:.3f} ({trials} hidden citations)"
    print(f"\nSuggest sources on the demo: {figures}")
    assert trials >= 60
    for k, floor in RECALL_FLOORS.items():
        assert scores[k] >= floor, (k, scores[k])


@pytest.mark.parametrize("count", [10, 1000])
def test_suggestions_need_the_same_queries_for_10_or_1000_entries(
    login, editor, timeline, count, django_assert_max_num_queries
):
    make_big_timeline(timeline, many_passages(), count)
    entry = Entry.objects.filter(timeline=timeline).order_by("id").first()
    Entry.objects.filter(pk=entry.pk).update(headline="The council votes")
    client = login(editor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("entry-suggest", args=[timeline.slug, entry.pk]))
    assert response.status_code == 200 and response.text.count('class="hit suggestion"') == 10
