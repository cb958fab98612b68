import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from factline import selectors
from factline.models import Citation, Entry, Membership, Timeline
from factline.models.timelines import Role, Stance, Status
from factline.services import citation_create, entry_create, entry_update
from tests.conftest import PASSWORD


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def entry(timeline, owner, passage):
    entry = entry_create(
        actor=owner, timeline=timeline, start=datetime.date(2023, 6, 30), headline="The vote", tags="un, vote"
    )
    citation_create(actor=owner, entry=entry, passage=passage, quote="voted unanimously")
    return entry


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_dashboard_lists_my_timelines_with_role_count_and_last_change(client, editor, timeline, entry):
    Timeline.objects.create(slug="other", title="Not mine")
    response = login(client, editor).get(reverse("dashboard"))
    rows = list(response.context["timelines"])
    assert [(t.title, t.role, t.entry_count) for t in rows] == [("Sahel watch", "editor", 1)]
    assert rows[0].last_entry_change is not None
    assert "Not mine" not in response.text


def test_creating_a_timeline_makes_me_its_owner(client, outsider):
    response = login(client, outsider).post(reverse("dashboard"), {"title": "Niger 2023", "description": ""})
    timeline = Timeline.objects.get(title="Niger 2023")
    assert response["Location"] == timeline.get_absolute_url()
    assert Membership.objects.get(timeline=timeline).role == Role.OWNER


def test_a_timeline_needs_a_title(client, outsider):
    response = login(client, outsider).post(reverse("dashboard"), {"title": ""})
    assert response.status_code == 422 and "This field is required." in response.text


def test_the_editor_page_shows_dates_at_their_precision_markers_and_markdown(client, editor, timeline, owner):
    entry_create(
        actor=owner,
        timeline=timeline,
        start=datetime.date(2012, 1, 1),
        precision="year",
        approximate=True,
        headline="Insurgency",
        body="**Tuareg** rebels <script>x</script>",
    )
    entry_create(
        actor=owner,
        timeline=timeline,
        start=datetime.date(2013, 1, 1),
        precision="year",
        end=datetime.date(2023, 1, 1),
        end_precision="year",
        headline="MINUSMA years",
    )
    text = login(client, editor).get(timeline.get_absolute_url()).text
    assert "c. 2012" in text and "2013 – 2023" in text
    assert "<strong>Tuareg</strong>" in text and "<script>x" not in text
    assert 'class="marker draft"' in text and 'class="marker unsupported"' in text


def test_the_filters_narrow_the_entries(client, editor, timeline, entry, owner, source):
    disputed = entry_create(actor=owner, timeline=timeline, start=datetime.date(2020, 1, 1), headline="Coup")
    citation_create(actor=owner, entry=disputed, passage=source.passages.get(number=2), quote="voted")
    citation_create(
        actor=owner, entry=disputed, passage=source.passages.get(number=3), quote="2013", stance=Stance.CONTRADICTS
    )
    entry_create(actor=owner, timeline=timeline, start=datetime.date(2021, 1, 1), headline="Bare")
    entry_update(entry=entry, actor=owner, status=Status.PUBLISHED)
    client = login(client, editor)

    def headlines(**query):
        return [e.headline for e in client.get(timeline.get_absolute_url(), query).context["entries"]]

    assert headlines() == ["Coup", "Bare", "The vote"]
    assert headlines(flag="disputed") == ["Coup"]
    assert headlines(flag="unsupported") == ["Bare"]
    assert headlines(status="published") == ["The vote"]
    assert headlines(tag="vote") == ["The vote"]
    assert headlines(tag="vot") == []


def test_every_id_on_the_editor_page_is_unique_so_each_label_finds_its_field(client, editor, timeline, entry):
    client.login(username=editor.username, password=PASSWORD)
    text = client.get(reverse("timeline-detail", args=[timeline.slug])).text
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert ids and len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_a_filter_that_matches_nothing_offers_no_years_to_jump_to(client, editor, timeline, entry):
    client.login(username=editor.username, password=PASSWORD)
    url = reverse("timeline-detail", args=[timeline.slug])
    assert "<h2>Jump to year</h2>" in client.get(url).text
    nothing = client.get(url, {"tag": "no-such-tag"}).text
    assert "<h2>Jump to year</h2>" not in nothing and 'id="year-nav"' in nothing  # kept for htmx to fill


def test_filtering_with_htmx_swaps_only_the_list(client, editor, timeline, entry):
    response = login(client, editor).get(
        timeline.get_absolute_url(), {"tag": "un"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="entry-list"
    )
    assert response.text.lstrip().startswith('<ol class="entries" id="entry-list">')
    assert 'id="year-nav"' in response.text and "<html" not in response.text
    assert response["Vary"].count("HX-Request") == 1


def test_a_viewer_sees_no_editing_controls(client, viewer, timeline, entry):
    text = login(client, viewer).get(timeline.get_absolute_url()).text
    assert "The vote" in text
    assert "Add an entry" not in text and ">Edit<" not in text and "Remove" not in text


def test_the_editor_page_is_told_of_others_changes(client, editor, timeline, entry, owner):
    opened = timezone.now()
    entry_update(entry=entry, actor=owner, headline="The unanimous vote")
    client = login(client, editor)
    text = client.get(reverse("timeline-changes", args=[timeline.slug]), {"since": opened.isoformat()}).text
    assert "olivia" in text and "edited “The unanimous vote”" in text and "Refresh" in text
    assert "(just now)" in text and "0 minutes" not in text.replace("\xa0", " ")
    quiet = client.get(reverse("timeline-changes", args=[timeline.slug]), {"since": timezone.now().isoformat()})
    assert "Refresh" not in quiet.text and 'data-hx-trigger="every 15s"' in quiet.text


def test_the_changes_name_the_entry_a_citation_changed_and_keep_counting(
    client, editor, timeline, entry, owner, passage
):
    opened = timezone.now()
    citation_create(actor=owner, entry=entry, passage=passage, quote="to end the mission", stance=Stance.CONTEXT)
    client = login(client, editor)
    url = reverse("timeline-changes", args=[timeline.slug])
    page = f"http://testserver{timeline.get_absolute_url()}?flag=unsupported"
    response = client.get(url, {"since": opened.isoformat()}, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=page)
    text = response.text
    assert f"cited a passage for “{entry.headline}”" in text
    # The banner keeps asking while shown, and refreshing keeps the page's filters.
    assert f'data-hx-get="{url}?since=' in text and 'data-hx-trigger="every 15s"' in text
    assert f'href="{timeline.get_absolute_url()}?flag=unsupported" data-refresh' in text
    # "Not now" asks again from the newest change shown, which then no longer counts.
    newest = response.context["newest"]
    assert "Refresh" not in client.get(url, {"since": newest.isoformat()}).text


def test_my_own_changes_are_not_announced_to_me(client, editor, timeline, entry):
    opened = timezone.now()
    entry_update(entry=entry, actor=editor, headline="Mine")
    text = login(client, editor).get(reverse("timeline-changes", args=[timeline.slug]), {"since": opened.isoformat()})
    assert "Refresh" not in text.text


def many_passages(how_many: int = 40) -> list:
    """One citable passage in each of `how_many` sources, so that a per-source or per-passage query would show."""
    from factline.services import source_import

    sources = [
        source_import(data=f"Report {k}\n\nThe council voted on day {k}.\n".encode(), origin=f"report-{k}.txt")
        for k in range(how_many)
    ]
    return [source.passages.get(number=2) for source in sources]


def make_big_timeline(timeline, passages, count, quote="voted"):
    passages = passages if isinstance(passages, list) else [passages]
    entries = Entry.objects.bulk_create(
        Entry(
            timeline=timeline,
            start=datetime.date(2000 + i % 24, 1 + i % 12, 1),
            precision="month",
            headline=f"Entry {i}",
            tags="a, b",
        )
        for i in range(count)
    )
    Citation.objects.bulk_create(
        Citation(
            entry=e,
            passage=passage,
            quote=quote,
            start=passage.text.index(quote),
            end=passage.text.index(quote) + len(quote),
            stance=stance,
        )
        for i, e in enumerate(entries)
        for j, stance in enumerate((Stance.SUPPORTS, Stance.CONTRADICTS, Stance.CONTEXT))
        for passage in [passages[(3 * i + j) % len(passages)]]
    )


@pytest.mark.parametrize("count", [10, 500])
def test_the_editor_page_needs_the_same_queries_for_10_or_500_entries(
    client, editor, timeline, passage, count, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(selectors, "YEAR_PAGES_FROM", 1000)  # all on one page (tests/test_editor_pages.py: by year)
    make_big_timeline(timeline, many_passages(), count)
    client = login(client, editor)
    with django_assert_max_num_queries(7):  # one of them: the years of the list (year_pages)
        response = client.get(timeline.get_absolute_url())
    assert response.text.count('class="marker disputed"') == count
    assert f"Report {min(3 * count, 40) - 1}, ¶2" in response.text  # the citations reach that many sources
