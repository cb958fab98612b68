"""Every kind of page passes the Nu HTML checker and axe-core, on a desktop and a phone.

Each page is loaded in Chromium at 1280 and 375 px and checked by axe-core (any violation, at any
impact); the markup of every page, as the browser holds it once loaded, then goes to the Nu HTML
checker in one run of Java. A new page joins by adding a line to READER_PAGES (no account) or
EDITOR_PAGES (the demo owner), with a function from the `World` below to its address, and, when the
page is only seen after an action, that action (keyboard or htmx) as a third item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from factline import ingest, services
from factline.history import EntryHistory
from factline.models import Comment, DateMention, Entry, Passage, Snapshot, Source, Timeline
from factline.models.timelines import Status
from tests.browser.conftest import login

WIDTHS = (1280, 375)
OWNER, EDITOR, PASSWORD = "owner", "editor", "factline-demo"


@dataclass(frozen=True)
class World:
    """The demo timeline shared and edited so that every page has something to show."""

    timeline: Timeline
    entry: Entry  # published, cited, edited once (two revisions)
    draft: Entry  # a draft asked for review
    passage: Passage  # cited by a published entry
    source: Source
    dated: Source  # a source with date mentions
    mention: DateMention
    snapshot: Snapshot
    gone_token: str  # a public link replaced by a new one: 410
    preview_key: str  # a pasted source awaiting its editor's Save
    first_revision: str
    comment: Comment  # the owner's, replied to by the editor with a mention of the owner


def _slug(w: World) -> str:
    return w.timeline.slug


READER_PAGES: list[tuple[str, Callable[[World], str]]] = [
    ("public list", lambda w: reverse("public-list")),
    ("public", lambda w: _public(w)),
    ("public zoomed", lambda w: _public(w) + "?from=2023&to=2023"),
    ("passage", lambda w: reverse("public-passage", args=[w.timeline.public_token, w.passage.pk])),
    ("snapshot", lambda w: w.snapshot.get_absolute_url()),
    ("snapshot passage", lambda w: reverse("snapshot-passage", args=[w.snapshot.token, w.passage.pk])),
    ("embed", lambda w: reverse("public-embed", args=[w.timeline.public_token])),
    ("410 page", lambda w: reverse("public-timeline", args=[w.gone_token])),
    ("login", lambda w: reverse("login")),
    ("password reset", lambda w: reverse("password_reset")),
    ("invitation, new account", lambda w: _invitation(w)),
    ("invitation refused", lambda w: reverse("invitation-accept", args=["A" * 43])),
]

STATUS = {"410 page": 410, "404 page": 404, "invitation refused": 404}  # every other page answers 200

Action = Callable[..., None]
EDITOR_PAGES: list[tuple[str, Callable[[World], str]] | tuple[str, Callable[[World], str], Action]] = [
    ("dashboard", lambda w: reverse("dashboard")),
    ("editor", lambda w: w.timeline.get_absolute_url()),
    ("editor filtered", lambda w: w.timeline.get_absolute_url() + "?status=draft"),
    ("editor, edit form open (htmx)", lambda w: w.timeline.get_absolute_url(), lambda page, w: _open_edit(page, w)),
    ("entry page", lambda w: _entry_page(w)),
    ("entry page, edited then cancelled (htmx)", lambda w: _entry_page(w), lambda page, w: _edit_and_cancel(page, w)),
    ("edit page", lambda w: reverse("entry-edit", args=[_slug(w), w.entry.pk])),
    ("add page", lambda w: reverse("entry-create", args=[_slug(w)])),
    ("delete page", lambda w: reverse("entry-delete", args=[_slug(w), w.entry.pk])),
    ("history", lambda w: reverse("entry-history", args=[_slug(w), w.entry.pk])),
    ("compare", lambda w: reverse("entry-compare", args=[_slug(w), w.entry.pk])),
    ("revert", lambda w: reverse("entry-revert", args=[_slug(w), w.entry.pk]) + f"?to={w.first_revision}"),
    ("activity", lambda w: reverse("timeline-activity", args=[_slug(w)])),
    ("as-of", lambda w: reverse("timeline-as-of", args=[_slug(w)]) + f"?as_of={_today()}"),
    ("as-of form", lambda w: reverse("timeline-as-of", args=[_slug(w)])),
    ("deleted", lambda w: reverse("timeline-deleted", args=[_slug(w)])),
    ("sources", lambda w: reverse("source-list")),
    ("source", lambda w: w.source.get_absolute_url()),
    ("source, citing", lambda w: w.source.get_absolute_url() + f"?entry={w.entry.pk}"),
    ("source with date marks", lambda w: w.dated.get_absolute_url()),
    ("source edit", lambda w: reverse("source-edit", args=[w.source.pk])),
    ("new source", lambda w: reverse("source-create")),
    ("source preview", lambda w: reverse("source-preview", args=[w.preview_key])),
    ("source history", lambda w: reverse("source-history", args=[w.source.pk])),
    ("finder", lambda w: reverse("entry-cite", args=[_slug(w), w.entry.pk]) + "?q=coup"),
    ("suggestions", lambda w: reverse("entry-suggest", args=[_slug(w), w.entry.pk])),
    ("review queue", lambda w: reverse("timeline-review", args=[_slug(w)])),
    ("entry review", lambda w: reverse("entry-review", args=[_slug(w), w.draft.pk])),
    ("entry from a date", lambda w: reverse("entry-create", args=[_slug(w)]) + f"?mention={w.mention.pk}"),
    ("entry from a date, which timeline", lambda w: reverse("mention-entry", args=[w.mention.pk])),
    ("members", lambda w: reverse("member-list", args=[_slug(w)])),
    ("discussion", lambda w: reverse("entry-discussion", args=[_slug(w), w.entry.pk])),
    ("comment edit", lambda w: reverse("comment-edit", args=[_slug(w), w.comment.pk])),
    ("share", lambda w: reverse("timeline-share", args=[_slug(w)])),
    ("password", lambda w: reverse("password_change")),
    ("timeline settings", lambda w: reverse("timeline-settings", args=[_slug(w)])),
    ("delete timeline", lambda w: reverse("timeline-delete", args=[_slug(w)])),
    ("deleted timelines", lambda w: reverse("timelines-deleted")),
    ("change citation", lambda w: reverse("citation-edit", args=[_slug(w), w.entry.citations.first().pk])),
    ("remove citation", lambda w: reverse("citation-delete", args=[_slug(w), w.entry.citations.first().pk])),
    ("profile", lambda w: reverse("profile")),
    ("members, an invitation pending", lambda w: _invitation(w) and reverse("member-list", args=[_slug(w)])),
    ("invitation, logged in", lambda w: _invitation(w)),
    ("dashboard, invitations for you", lambda w: _invited_dashboard(w)),
    ("404 page", lambda w: reverse("timeline-detail", args=["no-such-timeline"])),
]


# axe-core leaves an aria-describedby that points at no element "to review", and vnu lets it pass.
DANGLING = """() => Array.from(document.querySelectorAll("[aria-describedby], [aria-labelledby], label[for]"))
  .flatMap((el) => ["aria-describedby", "aria-labelledby", "for"].flatMap((name) =>
    (el.getAttribute(name) || "").split(/\\s+/).filter((id) => id && !document.getElementById(id))
      .map((id) => `${name} points at no #${id}: <${el.tagName.toLowerCase()} id="${el.id}">`)))"""


def _public(w: World) -> str:
    return reverse("public-timeline", args=[w.timeline.public_token])


def _invitation(w: World, email: str = "newcomer@wire.example") -> str:
    """A fresh invitation to the demo timeline: its link's address."""
    owner = w.timeline.memberships.get(user__username=OWNER).user
    sent: list[str] = []
    services.invitation_create(timeline=w.timeline, actor=owner, email=email, role="editor", link=sent.append)
    return reverse("invitation-accept", args=[sent[0]])


def _invited_dashboard(w: World) -> str:
    """The owner, whose address an accepted invitation proved, invited again: the dashboard lists it."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    owner, editor = users.get(username=OWNER), users.get(username=EDITOR)
    if not owner.email:
        services.profile_update(actor=owner, display_name="", email="owner@newsroom.example")
        owner.refresh_from_db()
    for title in ("Editor's desk", "Editor's archive"):
        desk = services.timeline_create(actor=editor, title=title)
        sent: list[str] = []
        services.invitation_create(timeline=desk, actor=editor, email=owner.email, role="viewer", link=sent.append)
        if title == "Editor's desk":
            services.invitation_accept(token=sent[0], actor=owner)
    return reverse("dashboard")


def _today() -> str:
    return timezone.now().strftime("%Y-%m-%d")


def _entry_page(w: World) -> str:
    return reverse("entry-detail", args=[_slug(w), w.entry.pk])


def _edit_and_cancel(page, w: World) -> None:
    _open_edit(page, w)
    page.locator(f"#entry-{w.entry.pk}").get_by_role("link", name="Cancel").click()
    page.locator(f"#entry-{w.entry.pk} .entry-actions").wait_for()


def _open_edit(page, w: World) -> None:
    block = page.locator(f"#entry-{w.entry.pk}")
    block.get_by_role("link", name="Edit").click()
    page.locator(f"#entry-{w.entry.pk} form.entry-form").wait_for()


@pytest.fixture
def world(transactional_db, settings, seeded) -> World:
    settings.DEBUG = True  # the demo accounts are for development only
    call_command("demo_accounts", verbosity=0)
    settings.DEBUG = False  # pages as production serves them (the 404 page, not Django's debug page)
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    owner, editor = users.get(username=OWNER), users.get(username=EDITOR)
    timeline = services.timeline_share(timeline=seeded, actor=owner)
    gone = timeline.public_token
    timeline = services.timeline_share(timeline=timeline, actor=owner)
    services.timeline_create(actor=owner, title="Sahel watch", description="A second one: pages offer a choice.")
    snapshot = services.snapshot_create(timeline=timeline, actor=owner)

    published = Entry.objects.filter(timeline=timeline, status=Status.PUBLISHED, citations__isnull=False)
    entry = published.order_by("start").distinct().first()
    entry = services.entry_update(entry=entry, actor=editor, reason="Checked the place", place="Bamako, Mali")
    doomed = published.exclude(pk=entry.pk).order_by("-start").first()
    services.entry_delete(entry=doomed, actor=owner, reason="Duplicate")
    draft = published.exclude(pk=entry.pk).order_by("start").last()
    draft = services.entry_set_status(entry=draft, actor=editor, status=Status.DRAFT)
    # Asked for review under the two-person rule, turned off again so the editor page shows Publish.
    services.timeline_set_two_person_rule(timeline=timeline, actor=owner, on=True)
    draft = services.entry_request_review(entry=draft, actor=editor)
    services.timeline_set_two_person_rule(timeline=timeline, actor=owner, on=False)

    dated = Source.objects.get(origin__startswith="003_")
    pasted = ingest.read_pasted("Council vote", "The council voted on Friday.\n\nThe mission leaves.\nLeave a Reply\n")
    staged = services.source_stage(actor=owner, prepared=pasted)
    comment = services.comment_create(actor=owner, entry=entry, body="Is **Bamako** right? See the second source.")
    services.comment_create(actor=editor, entry=entry, body="@owner yes, the *communiqué* says so.", parent=comment)
    services.comment_resolve(actor=editor, comment=comment, resolved=True)
    services.comment_create(actor=editor, entry=entry, body="Another thread, still open.")
    return World(
        timeline=timeline,
        entry=entry,
        draft=draft,
        passage=entry.citations.first().passage,
        source=entry.citations.first().passage.source,
        dated=dated,
        mention=DateMention.objects.filter(passage__source=dated, value__isnull=False).first(),
        snapshot=snapshot,
        gone_token=gone,
        preview_key=staged.key,
        first_revision=EntryHistory(entry.pk, timeline.pk).changes[0].key,
        comment=comment,
    )


def _visit(page, name: str, url: str, action: Action | None, w: World, axe, problems: list[str]) -> str:
    before = len(page.js_errors)
    answer = page.goto(url)
    width = page.viewport_size["width"]
    if answer.status != STATUS.get(name, 200):  # a page that failed to build is not the page meant
        problems.append(f"{name} at {width} px: answered {answer.status}")
    if answer.status >= 400:  # Chromium logs the status of the 404 and 410 pages as an error
        del page.js_errors[before:]
    if action is not None:
        action(page, w)
    found = [*axe(page, strict=True), *page.evaluate(DANGLING)]
    problems.extend(f"{name} at {width} px: {problem}" for problem in found)
    return page.content()


# Some fifty pages at two widths, each through axe, then vnu: minutes on a busy machine, and more as pages join.
@pytest.mark.timeout(600)
def test_every_kind_of_page_passes_the_nu_html_checker_and_axe_at_both_widths(world, new_page, vnu, axe):
    documents: dict[str, str] = {}
    problems: list[str] = []
    for width in WIDTHS:
        page = new_page(width=width)
        for name, url in READER_PAGES:
            documents[f"{name} ({width})"] = _visit(page, name, url(world), None, world, axe, problems)
        login(page, OWNER, PASSWORD)
        for name, url, *action in EDITOR_PAGES:
            html = _visit(page, name, url(world), action[0] if action else None, world, axe, problems)
            documents[f"{name} ({width})"] = html
        problems.extend(f"JavaScript at {width} px: {error}" for error in page.js_errors)
    problems.extend(vnu(documents))
    assert problems == [], "\n".join(problems)
