"""Entry blocks rendered once per change: each block's HTML cached under a key made of what it shows.

A big editor page spent most of its time rendering the same blocks again (issue 11). The key is
not a stamp someone must remember to move: it is a digest of the rows the page already loaded for
the block (the entry's fields and annotations, each citation's with its passage's and source's, the
timeline's rating of the source) and of the flags that change its markup (the viewer's
capabilities, past or present, heading level, focus). A change to any of them is a new key, so a
stale block cannot be served; unchanged blocks are served from `django.core.cache.cache` (its
size is bounded by the cache's settings). New fields and annotations (a citation's note, a comment
count) join the digest by themselves; a block that reads anything else must add it to `_flags`.

The CSRF token differs per person, so a cached block never holds one: it is rendered with
`CSRF_PLACEHOLDER` in the token's place, and each page puts its own token there after fetching.
Only the exact hidden input `{% csrf_token %}` writes is replaced: text written by people is
escaped or sanitised, so it can never contain that tag.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.template import Context, Engine
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from factline.models import Entry

TEMPLATE = "entries/entry_block.html"
CSRF_PLACEHOLDER = "csrf-placeholder-of-a-cached-block"
_INPUT = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'  # as Django's {% csrf_token %} writes it
_PLACEHOLDER_INPUT = format_html(_INPUT, CSRF_PLACEHOLDER)
_PLAIN = (str, int, float, bool, type(None), datetime.date, datetime.datetime, datetime.time, decimal.Decimal)
TIMEOUT = 7 * 24 * 3600  # unchanged blocks stay as long as the cache keeps them; a change makes a new key


def _template():
    # Django's own template object, which renders a Context the page is already rendering with.
    return Engine.get_default().get_template(TEMPLATE)


@functools.cache
def _template_digest() -> str:
    """The block template's own source: a deploy that changes the markup must not serve the old one."""
    return hashlib.blake2b(_template().source.encode(), digest_size=6).hexdigest()


def _row(instance: Any) -> tuple:
    """What a loaded row holds: its fields and annotations (not deferred ones, nor related caches)."""
    return tuple(sorted((name, value) for name, value in vars(instance).items() if isinstance(value, _PLAIN)))


def _flags(context: Context) -> tuple:
    """What the block's markup depends on beyond its rows: who looks, from which page, in which state."""
    timeline, entry, request = context.get("timeline"), context["entry"], context.get("request")
    user = getattr(request, "user", None)
    return (
        getattr(timeline, "pk", None),
        getattr(timeline, "slug", ""),
        bool(getattr(timeline, "can_edit", False)),
        bool(getattr(timeline, "can_manage", False)),
        bool(getattr(timeline, "two_person_rule", False)),
        bool(context.get("past")),
        bool(context.get("focus")),
        bool(context.get("reviewing")),
        str(context.get("heading") or 3),
        str(context.get("status_error") or ""),
        # "Review" is offered to anyone but the editor who asked for it.
        entry.review_requested_by_id is not None and entry.review_requested_by_id == getattr(user, "pk", None),
        entry.review_requested_by.get_username() if entry.awaiting_review and entry.review_requested_by_id else "",
    )


def key(context: Context) -> str:
    entry: Entry = context["entry"]
    citations = tuple(
        (_row(citation), _row(citation.passage), _row(citation.passage.source)) for citation in entry.citations.all()
    )
    digest = hashlib.blake2b(repr((_row(entry), citations, _flags(context))).encode(), digest_size=16).hexdigest()
    return f"entry-block:{_template_digest()}:{entry.pk}:{entry.version}:{digest}"


def _render(context: Context) -> str:
    with context.push(csrf_token=CSRF_PLACEHOLDER):
        return _template().render(context)


def _with_token(html: str, context: Context) -> SafeString:
    token = context.get("csrf_token")
    mine = format_html(_INPUT, token) if token and str(token) != "NOTPROVIDED" else ""
    return mark_safe(html.replace(_PLACEHOLDER_INPUT, mine))  # the block template rendered it, escaped


def block(context: Context) -> SafeString:
    """The block of `context["entry"]`, from the cache when it was rendered before."""
    found = key(context)
    html = cache.get(found)
    if html is None:
        html = _render(context)
        cache.set(found, html, TIMEOUT)
    return _with_token(html, context)


def blocks(context: Context, entries: Iterable[Entry]) -> SafeString:
    """The blocks of `entries` in order: one cache read for all, one write for those rendered now."""
    keys: list[tuple[Entry, str]] = []
    for entry in entries:
        with context.push(entry=entry):
            keys.append((entry, key(context)))
    found = cache.get_many([k for _, k in keys])
    rendered: dict[str, str] = {}
    parts = []
    for entry, k in keys:
        html = found.get(k)
        if html is None:
            with context.push(entry=entry):
                html = rendered[k] = _render(context)
        parts.append(html)
    if rendered:
        cache.set_many(rendered, TIMEOUT)
    return _with_token("".join(parts), context)
