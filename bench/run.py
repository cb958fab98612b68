"""`make bench`: the big instance served by gunicorn, each page measured beside a static file of its size.

    python -m bench.run                       # PostgreSQL (PG_URL's server), then SQLite
    BENCH_DATABASES=postgresql python -m bench.run

Each database runs in a process of its own: it creates the database (PostgreSQL: BENCH_DB,
default factline_bench, on PG_URL's server; SQLite: a temporary file), migrates, collects static
files, builds the instance (bench/build.py), writes every page's own HTML as a static file of the
same size, starts gunicorn (2 sync workers, DEBUG off, whitenoise), and measures from this process
over loopback. Then it records each worker's peak memory, stops gunicorn and drops the database.

Knobs: BENCH_SECONDS (time per measured load, default 5), BENCH_REQUESTS (cap per load, 120),
BENCH_CONCURRENCY (4), BENCH_PORT (else an ephemeral port), BENCH_OUT (bench/results.json),
BENCH_SIZES (a smaller instance for a quick try, as JSON: '{"entries": 50, "passages": 2000}').
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench import server
from bench.client import Response, Run, Session, expect, load, log_in

HERE = Path(__file__).resolve().parent
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "120"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
COLD_ROUNDS = int(os.environ.get("BENCH_COLD_ROUNDS", "8"))

# Twenty finder queries: common words (thousands of matches), rare ones, phrases, prefixes, exclusions.
QUERIES = [
    "mission",
    "mali",
    "government said",
    "security forces",
    "united nations",
    "people",
    "troops mission",
    "withdrawal",
    "wagner",
    "bamako junta",
    '"security council"',
    "peacekeep*",
    "coup -wagner",
    "ceasefire agreement",
    "kidal",
    "referendum constitution",
    "drone",
    "timbuktu airport",
    "mission withdrawal",
    "minusma mandate",
]

# The table's rows, in order: name, what it is.
PAGES = [
    ("public_cold", "public page, first request after a change (one at a time)"),
    ("public_warm", "public page, warm"),
    ("public_304", "public page revalidated (If-None-Match → 304)"),
    ("editor", "editor page, signed in"),
    ("as_of", "timeline as it stood (as-of)"),
    ("activity", "activity feed"),
    ("entry_history", "entry history (1,000 revisions)"),
    ("compare", "compare two revisions"),
    ("search", "passage search (20 queries)"),
    ("save", "entry save (POST, htmx)"),
]


def _urls(built: dict[str, Any]) -> dict[str, str]:
    slug, entry = built["slug"], built["revised_entry"]
    return {
        "public": f"/p/{built['public_token']}/",
        "editor": f"/t/{slug}/",
        "as_of": f"/t/{slug}/as-of/?as_of={built['as_of'].replace(' ', '+')}",
        "activity": f"/t/{slug}/activity/",
        "entry_history": f"/t/{slug}/entries/{entry}/history/",
        "compare": f"/t/{slug}/entries/{entry}/compare/",
        "cite": f"/t/{slug}/entries/{built['entries'][0]['id']}/cite/",
    }


def _save_path(built: dict[str, Any], entry_id: int) -> str:
    return f"/t/{built['slug']}/entries/{entry_id}/edit/"


# -- in the database's own process: build, size, serve, measure --


def _write_statics(built: dict[str, Any], static_root: Path) -> dict[str, str]:
    """Each page's own HTML as a static file (so the same size), rendered in this process; {page: static path}."""
    from urllib.parse import quote

    from django.contrib.auth import get_user_model
    from django.test import Client

    urls = _urls(built)
    reader, editor = Client(), Client()
    editor.force_login(get_user_model().objects.get(username=built["owner"]))
    bodies = {
        "public": reader.get(urls["public"]).content,
        "editor": editor.get(urls["editor"]).content,
        "as_of": editor.get(urls["as_of"]).content,
        "activity": editor.get(urls["activity"]).content,
        "entry_history": editor.get(urls["entry_history"]).content,
        "compare": editor.get(urls["compare"]).content,
    }
    found = sorted((editor.get(urls["cite"] + "?q=" + quote(q)).content for q in QUERIES), key=len)
    bodies["search"] = found[len(found) // 2]
    # A save answers htmx with the entry's block: the same block its htmx GET gives.
    first = built["entries"][0]["id"]
    bodies["save"] = editor.get(f"/t/{built['slug']}/entries/{first}/", headers={"HX-Request": "true"}).content
    folder = static_root / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, body in bodies.items():
        (folder / f"{name}.html").write_bytes(body)
        paths[name] = f"/static/bench/{name}.html"
    return paths


def _measure(port: int, built: dict[str, Any], statics: dict[str, str]) -> dict[str, dict[str, Any]]:
    host = "127.0.0.1"
    urls = _urls(built)
    cookies = log_in(host, port, built["owner"], built["password"])
    reader = lambda: Session(host, port)  # noqa: E731
    editor = lambda: Session(host, port, cookies)  # noqa: E731

    def page(path: str, *statuses: int, headers: dict[str, str] | None = None):
        return lambda session, n: expect(session.get(path, headers=headers), *(statuses or (200,)))

    def static(name: str, etag: str | None = None):
        headers = {"If-None-Match": etag} if etag else None
        return page(statics[name], 304 if etag else 200, headers=headers)

    results: dict[str, dict[str, Any]] = {}

    def both(name: str, make_session, step, static_step, **options) -> None:
        measured = load(make_session, step, concurrency=options.pop("concurrency", CONCURRENCY), **_limits(options))
        baseline = load(reader, static_step, concurrency=CONCURRENCY, **_limits({}))
        results[name] = _row(measured, baseline)
        print(f"  {name:<14} {_line(results[name])}", flush=True)

    # Saves keep their entry's version: each thread edits its own entry, so none conflicts.
    versions = {e["id"]: e["version"] for e in built["entries"]}
    forms = {e["id"]: e for e in built["entries"]}

    def save(session: Session, entry_id: int, n: int, htmx: bool = True) -> Response:
        form = forms[entry_id]
        data = {k: form[k] for k in ("date", "end", "headline", "body", "place", "tags", "status")}
        data |= {"headline": f"{form['headline'][:250]} (save {n})", "version": versions[entry_id]}
        data["summary"] = f"bench save {n}"
        headers = {"HX-Request": "true", "HX-Current-URL": f"http://{host}:{port}{urls['editor']}"} if htmx else None
        answer = expect(session.post(_save_path(built, entry_id), data, headers=headers), 200 if htmx else 302)
        versions[entry_id] += 1
        return answer

    # The public page, first request after a change: one change, one timed request, one at a time.
    changer = editor()
    cold_entry = built["entries"][-1]["id"]

    def cold(session: Session, n: int) -> Response:
        save(changer, cold_entry, n, htmx=False)
        return expect(session.get(urls["public"]), 200)

    both("public_cold", reader, cold, static("public"), concurrency=1, requests=COLD_ROUNDS)
    both("public_warm", reader, page(urls["public"]), static("public"))
    probe = Session(host, port)
    etag = probe.get(urls["public"]).headers.get("etag", "")
    static_etag = probe.get(statics["public"]).headers.get("etag", "")
    probe.close()
    both(
        "public_304",
        reader,
        page(urls["public"], 304, headers={"If-None-Match": etag}),
        static("public", etag=static_etag),
    )
    for name in ("editor", "as_of", "activity", "entry_history", "compare"):
        both(name, editor, page(urls[name]), static(name))

    def search(session: Session, n: int) -> Response:
        from urllib.parse import quote

        return expect(session.get(urls["cite"] + "?q=" + quote(QUERIES[n % len(QUERIES)])), 200)

    both("search", editor, search, static("search"))

    # Each thread saves its own entry (its first request tells which), so every save lands.
    owners: dict[int, int] = {}
    savers = iter(e["id"] for e in built["entries"][:-1])
    taking = threading.Lock()

    def saving(session: Session, n: int) -> Response:
        with taking:
            if id(session) not in owners:
                owners[id(session)] = next(savers)
            entry_id = owners[id(session)]
        return save(session, entry_id, n)

    both("save", editor, saving, static("save"))
    return results


def _limits(options: dict[str, Any]) -> dict[str, Any]:
    return {"requests": options.get("requests", REQUESTS), "seconds": options.get("seconds", SECONDS)}


def _row(measured: Run, baseline: Run) -> dict[str, Any]:
    row = {
        "p50_ms": round(measured.ms(50), 2),
        "p95_ms": round(measured.ms(95), 2),
        "p99_ms": round(measured.ms(99), 2),
        "rps": round(measured.rps, 2),
        "static_p50_ms": round(baseline.ms(50), 2),
        "static_rps": round(baseline.rps, 2),
        "ratio_p50": round(measured.ms(50) / baseline.ms(50), 1) if baseline.count else None,
        "ratio_rps": round(measured.rps / baseline.rps, 3) if baseline.rps else None,
        "requests": measured.count,
        "errors": len(measured.errors) + len(baseline.errors),
        "bytes": measured.bytes,
        "static_bytes": baseline.bytes,
        "concurrency": measured.concurrency,
    }
    if measured.errors or baseline.errors:
        row["first_error"] = (measured.errors or baseline.errors)[0]
    return row


def _line(row: dict[str, Any]) -> str:
    return (
        f"p50 {row['p50_ms']:8.1f} ms  p95 {row['p95_ms']:8.1f}  p99 {row['p99_ms']:8.1f}  {row['rps']:7.1f}/s"
        f" | static p50 {row['static_p50_ms']:6.1f} ms {row['static_rps']:7.1f}/s"
        f" | ×{row['ratio_p50']} p50, {row['ratio_rps']} of its rps  (n={row['requests']}, errors {row['errors']})"
    )


def one(database_url: str, out: Path) -> None:
    """Everything for one database, in this process; the result written to `out`."""
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="factline-bench-"))
    postgres = database_url.startswith("postgres")
    if not postgres:
        database_url = f"sqlite:///{work / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_STATIC_ROOT": str(work / "static"),
        "PYTHONPATH": str(server.ROOT),
    }
    os.environ.update(env)
    if postgres:
        server.create_database(database_url)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        from bench.build import Sizes, build

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        built_at = time.monotonic()
        made = build(Sizes(**json.loads(os.environ.get("BENCH_SIZES", "{}"))))
        built = {**made.__dict__}
        build_seconds = time.monotonic() - built_at
        print(f"{connection.vendor}: built {made.counts} in {build_seconds:.0f} s", flush=True)
        statics = _write_statics(built, work / "static")
        connections.close_all()
        with server.serving(env, work / "gunicorn.log") as running:
            pages = _measure(running.port, built, statics)
            rss = running.peak_rss()
        result = {
            "database": connection.vendor,
            "pages": pages,
            "worker_peak_rss_mb": {str(pid): round(mb, 1) if mb else None for pid, mb in rss.items()},
            "instance": made.counts,
            "build_seconds": round(build_seconds, 1),
            "seconds": round(time.monotonic() - started, 1),
        }
        out.write_text(json.dumps(result, indent=2))
    finally:
        if postgres:
            from django.db import connections

            connections.close_all()
            server.drop_database(database_url)


TARGETS = {
    "public_warm": "p50 ≤ 5× static, p99 ≤ 200 ms",
    "public_304": "rps ≥ ½ static's",
    "editor": "p50 ≤ 100 ms",
    "as_of": "p50 ≤ 200 ms",
    "search": "p95 ≤ 100 ms",
    "save": "p95 ≤ 100 ms",
}


def met(name: str, row: dict[str, Any]) -> str:
    """Whether the issue's target for this row is met, in a word ("" where it sets none)."""
    checks = {
        "public_warm": lambda: row["ratio_p50"] <= 5 and row["p99_ms"] <= 200,
        "public_304": lambda: row["ratio_rps"] >= 0.5,
        "editor": lambda: row["p50_ms"] <= 100,
        "as_of": lambda: row["p50_ms"] <= 200,
        "search": lambda: row["p95_ms"] <= 100,
        "save": lambda: row["p95_ms"] <= 100,
    }
    if name not in checks:
        return ""
    return "met" if checks[name]() else "NOT met"


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['database']}: {result['instance']}",
        "| page | p50 ms | p95 ms | p99 ms | req/s | static p50 ms | static req/s | ×p50 | rps ratio | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, title in PAGES:
        row = result["pages"].get(name)
        if row is None:
            continue
        target = f"{TARGETS[name]}: {met(name, row)}" if name in TARGETS else ""
        lines.append(
            f"| {title} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {row['rps']:.1f} "
            f"| {row['static_p50_ms']:.1f} | {row['static_rps']:.1f} | {row['ratio_p50']} | {row['ratio_rps']} "
            f"| {target} |"
        )
    rss = ", ".join(f"{mb} MB" for mb in result["worker_peak_rss_mb"].values())
    verdict = "met" if all(mb and mb <= 150 for mb in result["worker_peak_rss_mb"].values()) else "NOT met"
    lines.append(f"Worker peak RSS after the run: {rss} (target ≤ 150 MB: {verdict}).")
    errors = sum(row["errors"] for row in result["pages"].values())
    lines.append(f"Errors: {errors}. Took {result['seconds']:.0f} s (build {result['build_seconds']:.0f} s).")
    return "\n".join(lines)


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        one(sys.argv[2], Path(sys.argv[3]))
        return 0
    started = time.monotonic()
    pg = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    urls = {
        "postgresql": server.database_url(pg, os.environ.get("BENCH_DB", "factline_bench")),
        "sqlite": "sqlite://",
    }
    wanted = [name.strip() for name in os.environ.get("BENCH_DATABASES", "postgresql,sqlite").split(",") if name]
    runs: dict[str, Any] = {}
    for name in wanted:
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run(
                [sys.executable, "-m", "bench.run", "--one", urls[name], out.name], check=True, cwd=server.ROOT
            )
            runs[name] = json.loads(Path(out.name).read_text())
    print()
    for result in runs.values():
        print(table(result), end="\n\n")
    first = runs[wanted[0]]
    results = {
        "pages": first["pages"],
        "database": first["database"],
        "worker_peak_rss_mb": first["worker_peak_rss_mb"],
        "runs": runs,
        "seconds": round(time.monotonic() - started, 1),
    }
    target = Path(os.environ.get("BENCH_OUT", HERE / "results.json"))
    target.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Wrote {target} ({results['seconds']:.0f} s in all).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
