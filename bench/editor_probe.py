"""Time the editor page (and as-of) of a big timeline in-process: ms, bytes and queries, cold and warm.

A quick probe for work on the editor page, not the bench: `.venv/bin/python -m bench.editor_probe`
(DATABASE_URL picks the database; default a fresh SQLite file in /tmp). Builds a 1,000-entry
timeline with the bench builder (few passages), then asks for the pages through Django's test client.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/probe.sqlite3"


def main() -> int:
    import django

    django.setup()
    from django.conf import settings

    # Not collected: the probe renders pages in-process, it does not serve static files.
    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    # Room for every block of the page (Django's own local-memory default keeps 300 entries).
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 100_000}}
    }
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.build import Sizes, build

    call_command("migrate", verbosity=0)
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    built = build(Sizes(entries=entries, passages=2000, revisions=5, timelines=5))
    client = Client()
    client.login(username=built.owner, password=built.password)
    for name, path in [
        ("editor", f"/t/{built.slug}/"),
        ("as-of", f"/t/{built.slug}/as-of/?as_of={built.as_of.replace(' ', '+')}"),
    ]:
        times = []
        for _ in range(6):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.status_code
        print(
            f"{name}: cold {times[0]:.0f} ms, warm p50 {statistics.median(times[1:]):.0f} ms, "
            f"{len(response.content):,} bytes, {len(queries)} queries"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
