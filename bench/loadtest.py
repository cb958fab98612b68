"""`make loadtest`: twenty editors saving entries of one timeline at once, for a minute, against gunicorn.

    python -m bench.loadtest          # PostgreSQL (its own database, LOADTEST_DB, on PG_URL's server)

Each editor signs in through the login form, then again and again opens an entry's edit form (to
read the version it shows) and saves a change from it, as htmx does. Editors pick entries at
random among a few, so they collide: a save made on a version someone else already replaced must
be refused with the conflict page (409), never land. At the end it prints saves accepted,
conflicts shown and errors (must be 0), and checks that accepted saves = new versions = new
history rows. Knobs: LOADTEST_EDITORS (20), LOADTEST_SECONDS (60), LOADTEST_ENTRIES (12).
"""

from __future__ import annotations

import os
import random
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.client import Session, log_in

_VERSION = re.compile(r'name="version" value="(\d+)"')


@dataclass
class Plan:
    """Who edits what: the editors' names and password, the timeline, and each entry's form fields."""

    slug: str
    password: str
    editors: list[str]
    forms: dict[int, dict[str, Any]]


@dataclass
class Tally:
    accepted: int = 0
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0


def prepare(editors: int = 20, entries: int = 12) -> Plan:
    """A small timeline in the current database, and `editors` people who may edit it."""
    from django.contrib.auth import get_user_model
    from simple_history.utils import bulk_create_with_history

    from bench.build import PASSWORD, Sizes, build
    from factline.forms import EntryForm
    from factline.models import Entry, Membership, Timeline
    from factline.models.changes import Action
    from factline.models.timelines import Role

    made = build(Sizes(entries=entries, sources=2, passages=200, revisions=0, timelines=0), seed=14)
    timeline = Timeline.objects.get(slug=made.slug)
    users = get_user_model().objects
    names = [f"editor-{n:02d}" for n in range(editors)]
    people = [users.create_user(username=name, password=PASSWORD) for name in names]
    bulk_create_with_history(
        [Membership(timeline=timeline, user=person, role=Role.EDITOR) for person in people],
        Membership,
        custom_historical_attrs={"history_action": Action.MEMBER_SET, "history_note": ""},
    )
    forms = {entry.pk: EntryForm.initial_for(entry) for entry in Entry.objects.filter(timeline=timeline)}
    return Plan(made.slug, PASSWORD, names, forms)


def counts(slug: str) -> tuple[int, int]:
    """The sum of the timeline's entries' versions, and how many edit rows their history holds."""
    from django.db.models import Sum

    from factline.models import Entry
    from factline.models.changes import Action

    versions = Entry.objects.filter(timeline__slug=slug).aggregate(n=Sum("version"))["n"] or 0
    ids = Entry.objects.filter(timeline__slug=slug).values("id")
    edits = Entry.history.filter(id__in=ids, history_action=Action.EDITED).count()
    return versions, edits


def edit(host: str, port: int, plan: Plan, seconds: float, seed: int = 6) -> Tally:
    """Every editor of `plan` saving entries for `seconds`, each from its own thread and connection."""
    tally = Tally()
    lock = threading.Lock()
    ids = sorted(plan.forms)
    signed_in = [log_in(host, port, name, plan.password) for name in plan.editors]
    start = threading.Barrier(len(plan.editors) + 1)
    stop = [0.0]

    def editor(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        session = Session(host, port, signed_in[index])
        page = f"http://{host}:{port}/t/{plan.slug}/"
        start.wait()
        n = 0
        while time.monotonic() < stop[0]:
            n += 1
            pk = rng.choice(ids)
            path = f"/t/{plan.slug}/entries/{pk}/edit/"
            try:
                form = session.get(path, headers={"HX-Request": "true", "HX-Current-URL": page})
                found = _VERSION.search(form.text())
                if form.status != 200 or not found:
                    raise AssertionError(f"the edit form answered {form.status}")
                data = {**plan.forms[pk], "version": found.group(1)}
                data |= {"headline": f"Edited by {plan.editors[index]} ({n})", "summary": f"load test {n}"}
                saved = session.post(path, data, headers={"HX-Request": "true", "HX-Current-URL": page})
                if saved.status == 200:
                    outcome = "accepted"
                elif saved.status == 409 and "changed" in saved.text():
                    outcome = "conflict"
                else:
                    raise AssertionError(f"the save answered {saved.status}")
            except Exception as error:
                with lock:
                    tally.errors.append(f"{type(error).__name__}: {error}"[:300])
                continue
            with lock:
                if outcome == "accepted":
                    tally.accepted += 1
                else:
                    tally.conflicts += 1
        session.close()

    threads = [threading.Thread(target=editor, args=(i,), daemon=True) for i in range(len(plan.editors))]
    for thread in threads:
        thread.start()
    stop[0] = time.monotonic() + seconds
    began = time.monotonic()
    start.wait()
    for thread in threads:
        thread.join()
    tally.elapsed = time.monotonic() - began
    return tally


def report(tally: Tally, before: tuple[int, int], after: tuple[int, int], editors: int) -> bool:
    """Print what happened; whether it is right (no errors, every accepted save one version and one row)."""
    versions, rows = after[0] - before[0], after[1] - before[1]
    print(f"{editors} editors for {tally.elapsed:.0f} s:")
    print(f"  saves accepted   {tally.accepted}  ({tally.accepted / max(tally.elapsed, 1e-9):.1f}/s)")
    print(f"  conflicts shown  {tally.conflicts}  (409, the entry as it is now beside the edit)")
    print(f"  errors           {len(tally.errors)}")
    for error in tally.errors[:5]:
        print(f"    {error}")
    print(f"  new versions     {versions}")
    print(f"  new history rows {rows}")
    right = not tally.errors and tally.accepted == versions == rows and tally.accepted > 0
    print("  OK: accepted saves = new versions = new history rows, no errors." if right else "  FAILED.")
    return right


def main() -> int:
    from bench import server

    editors = int(os.environ.get("LOADTEST_EDITORS", "20"))
    seconds = float(os.environ.get("LOADTEST_SECONDS", "60"))
    entries = int(os.environ.get("LOADTEST_ENTRIES", "12"))
    pg = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    url = server.database_url(pg, os.environ.get("LOADTEST_DB", "factline_loadtest"))
    work = Path(tempfile.mkdtemp(prefix="factline-loadtest-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_STATIC_ROOT": str(work / "static"),
        "PYTHONPATH": str(server.ROOT),
    }
    os.environ.update(env)
    server.create_database(url)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        plan = prepare(editors, entries)
        before = counts(plan.slug)
        connections.close_all()
        with server.serving(env, work / "gunicorn.log") as running:
            tally = edit("127.0.0.1", running.port, plan, seconds)
        after = counts(plan.slug)
        connections.close_all()
        return 0 if report(tally, before, after, editors) else 1
    finally:
        from django.db import connections

        connections.close_all()
        server.drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
