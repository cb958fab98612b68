"""Twenty editors saving one entry at the same moment, on PostgreSQL's real row locks."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from factline.models import Entry
from factline.services import entry_create

SAVERS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_saves_each_land_once_or_are_refused_as_conflicts(timeline, editor):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; this runs in the PostgreSQL pass of `make test`")
    entry = entry_create(actor=editor, timeline=timeline, start=datetime.date(2023, 6, 30), headline="The vote")
    url = reverse("entry-edit", args=[timeline.slug, entry.pk])
    barrier = threading.Barrier(SAVERS)
    results: dict[int, int] = {}

    def save(i: int) -> None:
        try:
            client = Client()
            client.force_login(editor)
            barrier.wait()
            # Half post from the version they opened (1), half from whatever is saved right now.
            version = 1 if i % 2 else Entry.objects.get(pk=entry.pk).version
            response = client.post(
                url,
                {
                    "date": "30 June 2023",
                    "headline": f"Headline {i}",
                    "status": "draft",
                    "version": version,
                    "summary": f"save {i}",
                },
            )
            results[i] = response.status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(SAVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == SAVERS
    assert set(results.values()) <= {302, 409}, results
    landed = sorted(i for i, status in results.items() if status == 302)
    assert landed, "at least one save must land"
    # Everyone who opened version 1 raced for one slot: at most one of them may win it.
    assert len([i for i in landed if i % 2]) <= 1
    entry.refresh_from_db()
    records = list(entry.history.order_by("history_id"))
    assert entry.version == 1 + len(landed)
    assert len(records) == 1 + len(landed)
    assert [r.version for r in records] == list(range(1, len(landed) + 2))
    assert sorted(int(r.headline.split()[1]) for r in records[1:]) == landed
    assert records[-1].headline == entry.headline
