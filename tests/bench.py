"""`make bench`: how long the heaviest pages take on a big timeline. Numbers to watch, not a test."""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ENTRIES, ROUNDS = 500, 15


def build():
    from factline.models import Citation, Entry, Membership
    from factline.models.timelines import Role, Stance
    from factline.services import source_import, timeline_create

    user = get_user_model().objects.create_user(username="bench", password="bench-password")
    timeline = timeline_create(actor=user, title="Bench")
    Membership.objects.filter(timeline=timeline).update(role=Role.OWNER)
    text = "Title\n\n" + "\n\n".join(f"Paragraph {i} says the mission withdrew in {2000 + i}." for i in range(200))
    source = source_import(data=text.encode(), origin="bench.txt")
    passages = list(source.passages.filter(boilerplate=False))
    entries = Entry.objects.bulk_create(
        Entry(timeline=timeline, start=datetime.date(2000 + i % 24, 1 + i % 12, 1), precision="month",
              headline=f"Entry {i}", body="Some **Markdown** body.", tags="un, mali")
        for i in range(ENTRIES)
    )
    Citation.objects.bulk_create(
        Citation(entry=e, passage=p, quote=p.text[:9], start=0, end=9, stance=stance)
        for i, e in enumerate(entries)
        for p, stance in zip(passages[i % 150 : i % 150 + 3], [Stance.SUPPORTS, Stance.CONTRADICTS, Stance.CONTEXT])
    )
    return user, timeline


def timed(client: Client, url: str) -> tuple[float, float]:
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples) * 1000, max(samples) * 1000


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        user, timeline = build()
        client = Client()
        client.force_login(user)
        print(f"{connection.vendor}, {ENTRIES} entries with 3 citations each, {ROUNDS} rounds:")
        for name, url in [("dashboard", "/"), ("editor page", timeline.get_absolute_url())]:
            median, worst = timed(client, url)
            print(f"  {name:<14} median {median:7.1f} ms   worst {worst:7.1f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
