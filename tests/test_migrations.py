"""Migration 0007: the one shared rating of a source becomes the rating of each timeline that cites it."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("factline", "0006_evidence_tools")]
AFTER = [("factline", "0008_passage_full_text")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_an_existing_rating_and_its_history_move_to_every_timeline_that_cites_the_source():
    old = migrate(BEFORE)
    try:
        Source, HistoricalSource = old.get_model("factline", "Source"), old.get_model("factline", "HistoricalSource")
        Passage, Timeline = old.get_model("factline", "Passage"), old.get_model("factline", "Timeline")
        Entry, Citation = old.get_model("factline", "Entry"), old.get_model("factline", "Citation")
        rated = Source.objects.create(
            title="Prepper", text="Prepper\n\nWords.\n", origin="p.txt", checksum="a" * 64, reliability="unreliable",
            reliability_note="Sells gear.",
        )  # fmt: skip
        unrated = Source.objects.create(title="Wire", text="Wire\n\nWords.\n", origin="w.txt", checksum="b" * 64)
        then = timezone.now() - datetime.timedelta(days=30)
        for when, reliability, note in (
            (then, "mixed", "Ads."),
            (then + datetime.timedelta(days=1), "unreliable", "Sells gear."),
        ):
            HistoricalSource.objects.create(
                id=rated.pk, title="Prepper", text=rated.text, origin="p.txt", checksum="a" * 64,
                reliability=reliability, reliability_note=note, history_date=when, history_type="~",
                retrieved=when, language="en", created=when,
            )  # fmt: skip
        timelines = [Timeline.objects.create(slug=slug, title=slug) for slug in ("ours", "theirs", "none")]
        for timeline in timelines[:2]:
            entry = Entry.objects.create(timeline=timeline, start=datetime.date(2023, 1, 1), headline="E")
            for source in (rated, unrated):
                passage = Passage.objects.create(source=source, number=timeline.pk, start=0, end=5, text="Words")
                Citation.objects.create(entry=entry, passage=passage, quote="Words", start=0, end=5)

        new = migrate(AFTER)
        SourceRating = new.get_model("factline", "SourceRating")
        ratings = SourceRating.objects.order_by("timeline__slug")
        assert [(r.timeline.slug, r.source_id, r.reliability, r.reason) for r in ratings] == [
            ("ours", rated.pk, "unreliable", "Sells gear."),
            ("theirs", rated.pk, "unreliable", "Sells gear."),
        ]
        history = new.get_model("factline", "HistoricalSourceRating").objects.filter(timeline__slug="ours")
        assert [(row.history_type, row.reliability) for row in history.order_by("history_date")] == [
            ("+", "mixed"),
            ("~", "unreliable"),
        ]
        assert (
            history.order_by("history_date").first().history_date == then
        )  # a snapshot of that moment shows the rating of then
        texts = new.get_model("factline", "Source").objects.values_list("text_hash", flat=True)
        assert all(len(fingerprint) == 64 for fingerprint in texts)
    finally:
        migrate(AFTER)
