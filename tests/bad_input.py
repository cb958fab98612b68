"""The bad-input suite's machinery: every route of the URLconf as real addresses, the forms each page shows,
the bad values sent into them, and a fingerprint of the database to show nothing was written.

Routes come from the URLconf, so a route added later is sent bad input too once merged; one whose
parameters nothing here can fill fails `addresses()` until its line is added to PKS or KEYS.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote_plus, urlsplit

import lxml.html
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.urls import Resolver404, get_resolver, resolve, reverse

from factline.models import Citation, DateMention, Entry, Membership, Snapshot, StagedSource
from factline.presentation.downloads import FORMATS
from tests.test_permissions import ROUTES

# Django's own admin (staff only, its forms Django's) is left to Django and tests/test_admin.py.
SKIPPED_NAMESPACES = {"admin"}
# What `<int:pk>` names in the routes that are not a timeline's (those are in test_permissions.ROUTES).
PKS = {
    "source-original": "source",
    "source-rate": "source",
    "source-detail": "source",
    "source-edit": "source",
    "source-history": "source",
    "mention-entry": "mention",
    "public-passage": "passage",
    "snapshot-passage": "passage",
    "listed-passage": "passage",
    "timeline-restore": "deleted timeline",
    "invitation-join": "invitation to me",
}
# Parameters of Django's own views, filled with what a stranger could type (the view refuses them).
FIXED = {"password_reset_confirm": {"uidb64": "MQ", "token": "set-password"}}
# What `<key>` or `<token>` names, by the route's name or the start of it.
KEYS = {
    "source-preview": "staged",
    "public-": "link",
    "snapshot-": "snapshot-token",
    "listed-": "slug",
    "invitation-accept": "invitation-token",
}


@dataclass
class World:
    """A timeline with something behind every kind of id its routes take: the owner's, or a stranger's."""

    slug: str
    ids: dict[str, int]
    keys: dict[str, str]
    changes: dict[str, int] = field(default_factory=dict)


def world_of(
    timeline,
    entry: Entry,
    *,
    deleted: int,
    comment: int,
    deleted_timeline: int,
    invitations: tuple[int, int, str],
    staged: StagedSource | None = None,
) -> World:
    """The world's ids; `invitations`: one to its timeline, one to its owner's address, and that one's token."""
    citation = Citation.objects.filter(entry=entry).order_by("pk").first()
    snapshot = Snapshot.objects.filter(timeline=timeline).order_by("pk").first()
    assert citation is not None and snapshot is not None
    mention = DateMention.objects.filter(passage=citation.passage).first() or DateMention.objects.first()
    ids = {
        "entry": entry.pk,
        "deleted": deleted,
        "entry or deleted": entry.pk,
        "citation": citation.pk,
        "membership": Membership.objects.filter(timeline=timeline).order_by("pk").first().pk,  # type: ignore[union-attr]
        "snapshot": snapshot.pk,
        "source": citation.passage.source_id,
        "passage": citation.passage_id,
        "mention": mention.pk if mention else 0,
        "comment": comment,
        "deleted timeline": deleted_timeline,
        "invitation": invitations[0],
        "invitation to me": invitations[1],
    }
    keys = {
        "link": timeline.public_token or "",
        "snapshot-token": snapshot.token,
        "slug": timeline.slug,
        "staged": staged.key if staged else "nothing-staged",
        "invitation-token": invitations[2],
    }
    changes = {"entry": Entry.history.filter(id=entry.pk).order_by("history_id").last().history_id}  # type: ignore[union-attr]
    return World(slug=timeline.slug, ids=ids, keys=keys, changes=changes)


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    params: tuple[str, ...]
    defaults: dict


def routes() -> list[Route]:
    """Every named route of the URLconf (outside SKIPPED_NAMESPACES), with the parameters its pattern takes."""
    found: list[Route] = []

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                if (pattern.namespace or namespace) not in SKIPPED_NAMESPACES:
                    walk(pattern.url_patterns, route, pattern.namespace or namespace)
            elif pattern.name:
                params = tuple(getattr(pattern.pattern, "converters", {}))
                found.append(Route(pattern.name, route, params, dict(pattern.default_args)))

    walk(get_resolver().url_patterns)
    return found


def _key_kind(name: str) -> str | None:
    for start, kind in KEYS.items():
        if name == start or (start.endswith("-") and name.startswith(start)):
            return kind
    return None


def addresses(route: Route, world: World, *, only_ids: bool = False) -> list[str]:
    """The route's addresses in `world` (one per download format); [] with only_ids for a route taking no id.

    Fails the test for a route whose parameters nothing here knows how to fill.
    """
    kwargs: dict[str, object] = {}
    takes_id = False
    formats = [None]
    for param in route.params:
        if param == "slug":
            kwargs["slug"] = world.slug
        elif param == "fmt":
            formats = list(FORMATS)
        elif param == "pk":
            kind = ROUTES.get(route.name) or PKS.get(route.name)
            if kind is None or kind not in world.ids:
                raise AssertionError(f"{route.name} ({route.pattern}): say what its pk names in tests/bad_input.py PKS")
            kwargs["pk"] = world.ids[kind]
            takes_id = takes_id or kind not in ("source", "mention")  # the shared library: nobody's to hide
        elif param in FIXED.get(route.name, {}):
            kwargs[param] = FIXED[route.name][param]
        elif param in ("key", "token"):
            kind = _key_kind(route.name)
            if kind is None:
                raise AssertionError(
                    f"{route.name} ({route.pattern}): say what its key names in tests/bad_input.py KEYS"
                )
            kwargs[param] = world.keys[kind]
            takes_id = takes_id or kind in ("link", "snapshot-token")
        elif param in ("kind", "history_id") and route.name == "change-detail":
            kwargs["kind"], kwargs["history_id"] = "entry", world.changes["entry"]
            takes_id = True
        else:
            raise AssertionError(f"{route.name} ({route.pattern}): no way to fill <{param}>; teach tests/bad_input.py")
    if only_ids and not takes_id:
        return []
    return [reverse(route.name, kwargs={**kwargs, **({"fmt": f} if f else {})}) for f in formats]


# -- forms, as the pages show them --


@dataclass(frozen=True)
class Form:
    method: str
    action: str
    fields: tuple[tuple[str, str], ...]  # (name, value) as pressing its first button sends them, in order
    kinds: tuple[tuple[str, str], ...]  # (name, "text" | "number" | "date" | "choice" | "checkbox" | "button")
    found_on: str

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.kinds]


def _kind(name: str, tag: str, kind: str, value: str) -> str:
    if kind in ("submit", "button", "image") or tag == "button":
        return "button"
    if kind in ("date", "datetime-local", "month") or name in DATE_FIELDS:
        return "date"
    if kind == "number" or value.isdigit() or name in ID_FIELDS:
        return "number"
    if kind == "checkbox":
        return "checkbox"
    if tag == "select" or kind == "radio":
        return "choice"
    return "text"


def forms_on(html: str, url: str) -> list[Form]:
    """Each <form> of the page: its method, where it goes, and its fields with the values they hold."""
    if not html.strip():
        return []
    doc = lxml.html.fromstring(html)
    found = []
    for form in doc.forms:
        method = (form.get("method") or "get").lower()
        action = urlsplit(form.get("action") or url)
        values: list[tuple[str, str]] = []
        kinds: dict[str, str] = {}
        submitted = False
        for element in form.inputs:
            name = element.get("name")
            if not name:
                continue
            tag, kind = element.tag, (element.get("type") or "text").lower()
            value = ""
            if tag == "select":
                chosen = element.xpath(".//option[@selected]") or element.xpath(".//option")
                value = chosen[0].get("value", chosen[0].text or "") if chosen else ""
                values.append((name, value))
            elif tag == "textarea":
                values.append((name, element.text or ""))
            elif kind in ("checkbox", "radio"):
                if element.get("checked") is not None:
                    values.append((name, element.get("value", "on")))
            elif kind in ("submit", "button", "image") or tag == "button":
                if not submitted:  # the first button: what pressing the form sends
                    values.append((name, element.get("value", "")))
                    submitted = True
            elif kind != "file":
                value = element.get("value", "")
                values.append((name, value))
            if name != "csrfmiddlewaretoken" and kind != "file":
                kinds.setdefault(name, _kind(name, tag, kind, value))
        path = action.path or urlsplit(url).path
        found.append(Form(method, path, tuple(values), tuple(kinds.items()), url))
    return found


def query_params_on(html: str) -> dict[str, set[str]]:
    """The query parameters the page's links and htmx requests send, by the name of the route they go to."""
    if not html.strip():
        return {}
    doc = lxml.html.fromstring(html)
    found: dict[str, set[str]] = {}
    for element in doc.iter():
        for attribute in ("href", "data-hx-get", "action"):
            link = element.get(attribute)
            if not link or "?" not in link or link.startswith(("http:", "https:", "mailto:")):
                continue
            parts = urlsplit(link)
            try:
                name = resolve(parts.path).url_name
            except Resolver404:
                continue
            found.setdefault(name, set()).update(key for key, _ in parse_qsl(parts.query, keep_blank_values=True))
    return found


def url_name(path: str) -> str | None:
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


def encoded(pairs: list[tuple[str, str | bytes]]) -> str:
    """A query string or urlencoded body, bytes as they are: lone surrogates and invalid UTF-8 reach the server."""

    def one(value: str | bytes) -> str:
        raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        return quote_plus(raw)

    return "&".join(f"{one(name)}={one(value)}" for name, value in pairs)


# -- the bad values --

NUL = "voted\x00unanimously"
OVERLONG = "x" * 100_001
# Each bad value with whether a form may still accept it (it is text, only strange): the rest must never write.
# Every field and query parameter is sent the TEXT_VALUES; number fields also NUMBER_VALUES, date fields DATE_VALUES.
TEXT_VALUES: list[tuple[str, str | bytes, bool]] = [
    ("nul", NUL, False),
    ("overlong", OVERLONG, False),
    ("lone surrogate", "a\ud800b", True),  # sent as its UTF-8-like bytes: invalid UTF-8 as well
    ("bidi controls", "\u202eevil\u202c\u2066x\u2069", True),
    ("empty", "", True),
]
NUMBER_VALUES: list[tuple[str, str | bytes, bool]] = [
    ("beyond any integer", "9" * 30, True),
    ("not a number", "abc", True),
    ("other digits", "\u0661\u00b2", True),  # str.isdigit() says yes, int() says no
]
DATE_VALUES: list[tuple[str, str | bytes, bool]] = [
    ("impossible day", "2023-02-30", False),
    ("written impossible", "31 February 2013", False),
    ("far future", "99999-01-01T00:00:00", True),
]
# What a query parameter is sent: a query's type is not shown anywhere, so a little of each.
QUERY_VALUES = [*TEXT_VALUES[:4], NUMBER_VALUES[0], NUMBER_VALUES[2], DATE_VALUES[0], DATE_VALUES[2]]
# Field names that hold a date or an id whatever they show.
DATE_FIELDS = {"date", "end", "start", "as_of", "published", "since"}
ID_FIELDS = {"passage", "entry", "to", "from", "person", "membership", "citation", "parent", "version"}
NAVIGATION_FIELDS = {"next"}
BAD_VERSIONS = ["", "abc", "-1", "1.5", "2147483648", "99999"]
# Query parameters every address is sent, besides those its pages link with.
COMMON_PARAMS = [
    "q",
    "page",
    "entry",
    "person",
    "since",
    "as_of",
    "from",
    "to",
    "mention",
    "origin",
    "status",
    "year",
    "stance",
    "next",
    "kind",
    "fmt",
    "timeline",
]
# htmx's headers as no htmx sends them; each set with HX-Request as htmx sends it, so the views read the rest.
HX_HEADERS: list[dict[str, str]] = [
    {"HX-Current-URL": "http://[bad"},
    {"HX-Current-URL": "http://testserver/\x00"},
    {"HX-Current-URL": "http://testserver/" + "a" * 10_000},
    {"HX-Current-URL": "\u202ehttp://testserver/"},
    {"HX-Current-URL": "%E0%A4%A", "HX-Current-URL-URI-AutoEncoded": "true"},
    {"HX-Current-URL": "http://testserver:99999999/"},
    {"HX-Target": "entry-list\x00", "HX-Trigger": "\x85"},
    {"HX-Target": "x" * 10_000, "HX-Trigger-Name": "y" * 10_000},
    {"HX-Target": "cite-hits", "HX-Trigger": "\u202e"},
    {"HX-Request": "\x00junk"},
    {"HX-Request": "true" * 2000, "HX-Boosted": "\x00", "HX-History-Restore-Request": "maybe"},
]


def with_hx(headers: dict[str, str]) -> dict[str, str]:
    return {"HX-Request": "true", **headers}


def field_values(name: str, kind: str, foreign: dict[str, int]) -> Iterator[tuple[str, str | bytes, bool]]:
    """The bad values for one field, with whether a form may still accept each (then it is only checked for 5xx)."""
    for label, value, may_write in TEXT_VALUES:
        # A ticked box is any value (Django's BooleanField); where to go next is no data: the press stands.
        accepted = kind == "checkbox" or name in NAVIGATION_FIELDS
        yield label, value, may_write or accepted
    if kind == "number":
        yield from NUMBER_VALUES
        # Another timeline's entry as this form's entry must be refused; as a passage it may be anything.
        other = name if name in foreign else "entry"
        yield f"another timeline's {other}", str(foreign[other]), other != name
    if kind == "date":
        yield from DATE_VALUES
    if name == "version":
        for value in BAD_VERSIONS:
            yield f"version {value!r}", value, False


# -- the database, before and after --


def watched_models() -> list[type[models.Model]]:
    """Every model of the app (its historical models included) and the users: whatever a request could write."""
    return [*apps.get_app_config("factline").get_models(), get_user_model()]


# Columns that reading writes, not the request's input: logging the client in again, and the moment a member
# last opened a timeline ("changes since I looked"). The fixture opens the timeline first, so its row exists.
UNWATCHED_COLUMNS = {"last_login", "last_opened"}


def _summaries(model: type[models.Model], alias: str) -> list[str]:
    """SQL aggregates that move when a row of the model is added, deleted or changed (in nearly any column)."""
    qn = connection.ops.quote_name
    parts = ["COUNT(*)"]
    for each in model._meta.concrete_fields:
        if each.name in UNWATCHED_COLUMNS:
            continue
        column = f"{alias}.{qn(each.column)}"
        kind = each.get_internal_type()
        if kind in ("CharField", "TextField", "SlugField", "EmailField", "URLField"):
            parts.append(f"SUM(LENGTH({column}))")
        elif kind == "BooleanField":
            parts.append(f"SUM(CASE WHEN {column} THEN 1 ELSE 0 END)")
        elif kind in ("DateTimeField", "DateField"):
            parts.append(f"MAX({column})")
        elif "Integer" in kind or kind in ("AutoField", "BigAutoField", "ForeignKey", "OneToOneField"):
            parts.append(f"SUM({column})")
    return parts


@functools.cache
def _fingerprint_sql() -> str:
    """One row per table: its name and its aggregates joined as text (UNION ALL plans fast on both databases)."""
    qn = connection.ops.quote_name
    rows = []
    for model in watched_models():
        parts = " || ',' || ".join(f"COALESCE(CAST({part} AS VARCHAR(200)), '-')" for part in _summaries(model, "t"))
        table = model._meta.db_table
        rows.append(f"SELECT '{table}', {parts} FROM {qn(table)} t")
    return " UNION ALL ".join(rows)


def fingerprint() -> dict[str, str]:
    """One query: each watched table's row count, and per column a sum, a total length or a latest moment.

    Any insert or delete moves a count, and nearly any update a sum: enough to see a write that should not be.
    """
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        return dict(cursor.fetchall())


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The tables whose fingerprints differ."""
    return [table for table in before if before[table] != after[table]]


def moment() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat()
