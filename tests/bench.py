"""`make bench`: how long the heaviest pages take on a big timeline. Numbers to watch, not a test."""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

ENTRIES, ROUNDS = 500, 15


def build():
    """A 500-entry published timeline with 3 citations each, its history, and a public link."""
    from simple_history.utils import bulk_create_with_history

    from factline.models import Citation, Entry, Membership
    from factline.models.timelines import Role, Stance, Status
    from factline.services import entry_update, source_import, timeline_create, timeline_share

    stances = [Stance.SUPPORTS, Stance.CONTRADICTS, Stance.CONTEXT]
    user = get_user_model().objects.create_user(username="bench", password="bench-password")
    timeline = timeline_create(actor=user, title="Bench")
    Membership.objects.filter(timeline=timeline).update(role=Role.OWNER)
    text = "Title\n\n" + "\n\n".join(f"Paragraph {i} says the mission withdrew in {2000 + i}." for i in range(200))
    source = source_import(data=text.encode(), origin="bench.txt")
    passages = list(source.passages.filter(boilerplate=False))
    entries = bulk_create_with_history(
        [
            Entry(
                timeline=timeline,
                start=datetime.date(2000 + i % 24, 1 + i % 12, 1),
                precision="month",
                headline=f"Entry {i}",
                body="Some **Markdown** body.",
                tags="un, mali",
            )
            for i in range(ENTRIES)
        ],
        Entry,
        default_user=user,
    )
    entries = list(Entry.objects.filter(timeline=timeline))
    bulk_create_with_history(
        [
            Citation(entry=e, passage=p, quote=p.text[:9], start=0, end=9, stance=stance)
            for i, e in enumerate(entries)
            for p, stance in zip(passages[i % 150 : i % 150 + 3], stances, strict=True)
        ],
        Citation,
        default_user=user,
    )
    # Publishing through the service gives each entry a second revision, as editors' work would.
    for entry in entries:
        entry_update(entry=entry, actor=user, status=Status.PUBLISHED, reason="Published")
    timeline = timeline_share(timeline=timeline, actor=user)
    return user, timeline, entries[ENTRIES // 2], source


def timed(client: Client, url: str) -> tuple[float, float]:
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples) * 1000, max(samples) * 1000


def main() -> None:
    # Not setup_test_environment(): it instruments every template render, which is what we time.
    override_settings(ALLOWED_HOSTS=["testserver"]).enable()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        user, timeline, entry, source = build()
        editor, reader = Client(), Client()
        editor.force_login(user)
        now = timezone.now().strftime("%Y-%m-%d %H:%M:%S")
        pages = [
            ("dashboard", editor, "/"),
            ("editor page", editor, timeline.get_absolute_url()),
            ("passage search", editor, reverse("entry-cite", args=[timeline.slug, entry.pk]) + "?q=mission+withdrew"),
            ("source reading", editor, source.get_absolute_url()),
            ("entry history", editor, reverse("entry-history", args=[timeline.slug, entry.pk])),
            ("activity", editor, reverse("timeline-activity", args=[timeline.slug])),
            ("as of now", editor, reverse("timeline-as-of", args=[timeline.slug]) + f"?as_of={now}"),
            ("public page", reader, reverse("public-timeline", args=[timeline.public_token])),
        ]
        print(f"{connection.vendor}, {ENTRIES} published entries with 3 citations each, {ROUNDS} rounds:")
        for name, client, url in pages:
            median, worst = timed(client, url)
            print(f"  {name:<15} median {median:7.1f} ms   worst {worst:7.1f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
