"""Entry blocks rendered once per change (fragments.py): from the cache, never stale, never with another's token.

Every test runs with a real local-memory cache, so a block rendered by one request is what the next
one gets unless its key moved: each kind of change must reach the editor page and the entry's page.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client

from factline import fragments
from factline.models import Citation, Entry
from factline.models.timelines import Role, Stance, Status
from factline.services import (
    citation_create,
    citation_delete,
    entry_create,
    entry_delete,
    entry_restore,
    entry_revert,
    entry_set_status,
    entry_update,
    membership_set,
    source_rate,
    source_update,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-fragments"}
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def renders(monkeypatch):
    """How many blocks were rendered (not served from the cache) so far."""
    count = {"n": 0}
    render = fragments._render

    def counting(context):
        count["n"] += 1
        return render(context)

    monkeypatch.setattr(fragments, "_render", counting)
    return count


@pytest.fixture
def entry(timeline, owner, passage):
    entry = entry_create(
        actor=owner, timeline=timeline, start=datetime.date(2023, 6, 30), headline="Council ends the mission"
    )
    citation_create(actor=owner, entry=entry, passage=passage, quote="voted unanimously")
    return Entry.objects.get(pk=entry.pk)


def client_for(user, **options) -> Client:
    client = Client(**options)
    client.login(username=user.username, password=PASSWORD)
    return client


def pages(client: Client, entry: Entry) -> tuple[str, str]:
    """The editor page and the entry's own page, as `client` sees them now."""
    timeline = entry.timeline
    editor = client.get(timeline.get_absolute_url())
    own = client.get(f"/t/{timeline.slug}/entries/{entry.pk}/")
    assert editor.status_code == 200
    return editor.content.decode(), own.content.decode() if own.status_code == 200 else ""


def shows(client: Client, entry: Entry, text: str) -> tuple[bool, bool]:
    editor, own = pages(client, entry)
    return text in editor, text in own


def test_a_block_is_served_from_the_cache_until_it_changes(owner, editor, make_user, entry, renders, monkeypatch):
    markdown_calls = {"n": 0}
    from factline import markdown

    render = markdown.render

    def counting(text):
        markdown_calls["n"] += 1
        return render(text)

    monkeypatch.setattr(markdown, "render", counting)
    entry_update(entry=entry, actor=owner, body="A *body* in Markdown.")
    client = client_for(editor)
    client.get(entry.timeline.get_absolute_url())
    assert renders["n"] == 1 and markdown_calls["n"] == 1
    client.get(entry.timeline.get_absolute_url())
    other = make_user("erin")
    membership_set(timeline=entry.timeline, actor=owner, username=other.username, role=Role.EDITOR)
    client_for(other).get(entry.timeline.get_absolute_url())  # another editor sees the same block
    assert renders["n"] == 1 and markdown_calls["n"] == 1  # neither the block nor its Markdown again
    entry_update(entry=Entry.objects.get(pk=entry.pk), actor=owner, headline="Changed")
    page = client.get(entry.timeline.get_absolute_url()).content.decode()
    assert renders["n"] == 2 and "Changed" in page


def test_csrf_tokens_never_pass_from_one_person_to_another_through_a_cached_block(
    owner, editor, make_user, entry, renders
):
    other = make_user("erin")
    membership_set(timeline=entry.timeline, actor=owner, username=other.username, role=Role.EDITOR)
    first, second = client_for(editor, enforce_csrf_checks=True), client_for(other, enforce_csrf_checks=True)
    url = entry.timeline.get_absolute_url()
    first_page = first.get(url).content.decode()
    second_page = second.get(url).content.decode()
    assert renders["n"] == 1  # the second person's blocks came from the cache
    assert fragments.CSRF_PLACEHOLDER not in first_page + second_page
    pattern = r'action="(/t/[^"]+/status/)"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"'
    (action, token), *_ = re.findall(pattern, second_page)
    # The first person's token is refused with the second's session cookie; the second's own is accepted.
    (_, first_token), *_ = re.findall(pattern, first_page)
    refused = second.post(action, {"csrfmiddlewaretoken": first_token, "version": entry.version, "status": "published"})
    assert refused.status_code == 403
    accepted = second.post(action, {"csrfmiddlewaretoken": token, "version": entry.version, "status": "published"})
    assert accepted.status_code == 302
    assert Entry.objects.get(pk=entry.pk).status == Status.PUBLISHED


def test_an_edit_reaches_both_pages(owner, entry):
    client = client_for(owner)
    assert shows(client, entry, "Council ends the mission") == (True, True)
    entry_update(entry=entry, actor=owner, headline="Council votes to end the mission", body="Now with a body.")
    assert shows(client, entry, "Council votes to end the mission") == (True, True)
    assert shows(client, entry, "Now with a body.") == (True, True)
    assert shows(client, entry, "Council ends the mission") == (False, False)


def test_citations_added_changed_and_removed_reach_both_pages(owner, entry, passages):
    client = client_for(owner)
    assert shows(client, entry, "voted unanimously") == (True, True)
    added = citation_create(actor=owner, entry=entry, passage=passages[2], quote="13,000 peacekeepers")
    assert shows(client, entry, "13,000 peacekeepers") == (True, True)
    # A citation's own change (12b's stance edit goes through a service; the row is what the key reads).
    Citation.objects.filter(pk=added.pk).update(stance=Stance.CONTRADICTS)
    editor, own = pages(client, entry)
    assert editor.count("stance-contradicts") == 1 and own.count("stance-contradicts") == 1
    assert "Disputed" in editor and "Disputed" in own
    citation_delete(citation=added, actor=owner)
    assert shows(client, entry, "13,000 peacekeepers") == (False, False)
    assert shows(client, entry, "voted unanimously") == (True, True)


def test_a_source_edit_and_a_rating_reach_both_pages(owner, entry, source):
    client = client_for(owner)
    assert shows(client, entry, "(Test Wire)") == (True, True)
    source_update(source=source, actor=owner, title="Mali votes, retitled", publisher="Other Wire")
    assert shows(client, entry, "Mali votes, retitled (Other Wire)") == (True, True)
    source_rate(actor=owner, timeline=entry.timeline, source=source, reliability="unreliable", reason="Partisan.")
    assert shows(client, entry, "Rated unreliable here") == (True, True)
    source_rate(actor=owner, timeline=entry.timeline, source=source, reliability="reliable")
    assert shows(client, entry, "Rated reliable here") == (True, True)
    assert shows(client, entry, "Rated unreliable here") == (False, False)


def test_a_role_change_reaches_both_pages(owner, viewer, editor, entry):
    seeing, editing = client_for(viewer), client_for(editor)
    edit_link = f"/t/{entry.timeline.slug}/entries/{entry.pk}/edit/"
    assert shows(editing, entry, edit_link) == (True, True)
    assert shows(seeing, entry, edit_link) == (False, False)
    membership_set(timeline=entry.timeline, actor=owner, username=viewer.username, role=Role.EDITOR)
    membership_set(timeline=entry.timeline, actor=owner, username=editor.username, role=Role.VIEWER)
    assert shows(seeing, entry, edit_link) == (True, True)
    assert shows(editing, entry, edit_link) == (False, False)


def test_publish_and_unpublish_reach_both_pages(owner, entry):
    client = client_for(owner)
    assert shows(client, entry, '<span class="marker draft">Draft</span>') == (True, True)
    entry = entry_set_status(entry=entry, actor=owner, status=Status.PUBLISHED)
    assert shows(client, entry, '<span class="marker draft">Draft</span>') == (False, False)
    assert shows(client, entry, ">Unpublish</button>") == (True, True)
    entry_set_status(entry=Entry.objects.get(pk=entry.pk), actor=owner, status=Status.DRAFT)
    assert shows(client, entry, '<span class="marker draft">Draft</span>') == (True, True)


def test_a_revert_reaches_both_pages(owner, entry):
    client = client_for(owner)
    first = Entry.history.filter(id=entry.pk).order_by("history_date", "history_id").first()
    entry_update(entry=entry, actor=owner, headline="A later headline")
    assert shows(client, entry, "A later headline") == (True, True)
    entry_revert(entry=Entry.objects.get(pk=entry.pk), actor=owner, history_id=first.history_id)
    assert shows(client, entry, "Council ends the mission") == (True, True)
    assert shows(client, entry, "A later headline") == (False, False)


def test_a_delete_and_a_restore_reach_both_pages(owner, entry):
    client = client_for(owner)
    assert shows(client, entry, "Council ends the mission") == (True, True)
    pk = entry.pk
    entry_delete(entry=entry, actor=owner)
    entry.pk = pk
    assert shows(client, entry, "Council ends the mission") == (False, False)
    entry_restore(timeline=entry.timeline, entry_id=pk, actor=owner)
    assert shows(client, entry, "Council ends the mission") == (True, True)
    assert shows(client, entry, "voted unanimously") == (True, True)


def test_the_timeline_as_it_stood_reuses_the_blocks_of_the_same_revision(clock, owner, entry, renders):
    client = client_for(owner)
    url = f"/t/{entry.timeline.slug}/as-of/"

    def as_of() -> str:
        clock.tick()
        return client.get(url, {"as_of": clock().strftime("%Y-%m-%d %H:%M:%S")}).content.decode()

    first = as_of()
    assert "Council ends the mission" in first and renders["n"] == 1
    # Another moment at which the entry stood at the same revision: the same block, not rendered again.
    assert "Council ends the mission" in as_of() and renders["n"] == 1
    clock.tick()
    entry_update(entry=entry, actor=owner, headline="Edited later")
    later = as_of()
    assert "Edited later" in later and "Council ends the mission" not in later and renders["n"] == 2
