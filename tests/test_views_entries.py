import datetime
import re

import pytest
from django.urls import reverse

from factline.models import Citation, Entry
from factline.models.timelines import Stance, Status
from factline.services import citation_create, entry_create, entry_set_status
from tests.conftest import PASSWORD

HTMX = {"HTTP_HX_REQUEST": "true"}


def on_page(timeline, query: str = "") -> dict[str, str]:
    """The headers of an htmx request sent from the timeline's editor page at `?query`."""
    return {**HTMX, "HTTP_HX_CURRENT_URL": f"http://testserver{timeline.get_absolute_url()}{query}"}


@pytest.fixture
def as_editor(client, editor):
    client.login(username=editor.username, password=PASSWORD)
    return client


@pytest.fixture
def entry(timeline, owner):
    return entry_create(
        actor=owner, timeline=timeline, start=datetime.date(2013, 7, 1), precision="month", headline="MINUSMA begins"
    )


def form_data(**overrides):
    data = {
        "date": "July 2013",
        "end": "",
        "headline": "MINUSMA begins",
        "body": "",
        "place": "Mali",
        "tags": "un, minusma",
        "status": "draft",
        "summary": "",
        "version": "1",
    }
    return {**data, **overrides}


def test_an_editor_adds_an_entry_with_a_partial_date(as_editor, timeline):
    response = as_editor.post(
        reverse("entry-create", args=[timeline.slug]), form_data(date="c. 2012", summary="From 003")
    )
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#entry-{entry.pk}")
    assert (entry.start, entry.precision, entry.approximate) == (datetime.date(2012, 1, 1), "year", True)
    assert entry.tags == "un, minusma"
    assert entry.history.get().history_change_reason == "From 003"


def test_an_approximate_end_is_refused_next_to_the_field_rather_than_losing_its_c(as_editor, timeline):
    response = as_editor.post(reverse("entry-create", args=[timeline.slug]), form_data(date="2013", end="c. 2014"))
    assert response.status_code == 422
    assert "write “c.” before the start date" in response.text
    assert 'value="c. 2014"' in response.text
    assert not Entry.objects.exists()


def test_with_htmx_the_new_block_is_placed_where_it_sorts(as_editor, timeline, entry):
    url = reverse("entry-create", args=[timeline.slug])
    response = as_editor.post(url, form_data(date="2012"), **on_page(timeline))
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#entry-{entry.pk}"
    assert response["HX-Reswap"] == "beforebegin"
    assert 'id="add-entry-form" data-hx-swap-oob="true"' in response.text
    # The jump-to-year links gain the new year.
    assert 'id="year-nav" aria-label="Jump to year" data-hx-swap-oob="true"' in response.text
    new = Entry.objects.get(start__year=2012)
    assert f'<a href="#entry-{new.pk}">2012</a>' in response.text


def test_with_htmx_deleting_the_last_entry_of_a_year_drops_its_jump_link(as_editor, timeline, entry):
    later = entry_create(
        actor=None, timeline=timeline, start=datetime.date(2020, 1, 1), precision="year", headline="Later"
    )
    url = reverse("entry-delete", args=[timeline.slug, later.pk])
    response = as_editor.post(url, {"version": 1}, **on_page(timeline))
    assert response.status_code == 200
    assert 'data-hx-swap-oob="true"' in response.text
    assert f'<a href="#entry-{entry.pk}">2013</a>' in response.text and ">2020<" not in response.text


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"headline": ""}, "headline", "This field is required."),
        ({"date": "31 February 2013"}, "date", "February 2013 has no day 31."),
        ({"date": "2013", "end": "2012"}, "end", "The end must come after the start."),
        ({"date": "July 2013", "end": "2013"}, "end", "The end must come after the start."),
    ],
)
def test_bad_input_is_shown_next_to_its_field_keeps_the_text_and_saves_nothing(
    as_editor, timeline, overrides, field, message
):
    response = as_editor.post(reverse("entry-create", args=[timeline.slug]), form_data(**overrides), **HTMX)
    assert response.status_code == 422
    assert message in response.text
    assert f'id="id_{field}_error"' in response.text
    for value in overrides.values():
        if value:
            assert f'value="{value}"' in response.text or f">{value}<" in response.text
    assert not Entry.objects.exists()


def test_the_add_form_offers_no_status_since_a_new_entry_is_a_draft(as_editor, timeline):
    form = as_editor.get(reverse("entry-create", args=[timeline.slug]))
    assert 'name="headline"' in form.text and 'name="status"' not in form.text
    as_editor.post(reverse("entry-create", args=[timeline.slug]), form_data(status="published"))
    assert Entry.objects.get().status == Status.DRAFT


def test_publishing_in_the_edit_form_without_support_is_refused_next_to_the_status(as_editor, timeline, entry):
    url = reverse("entry-edit", args=[timeline.slug, entry.pk])
    response = as_editor.post(url, form_data(status="published", headline="Renamed"), **HTMX)
    assert response.status_code == 422
    assert f'id="id_{entry.pk}_status_error"' in response.text
    assert "at least one citation supports it" in response.text
    assert 'value="Renamed"' in response.text
    entry.refresh_from_db()
    assert (entry.status, entry.headline) == (Status.DRAFT, "MINUSMA begins")


def test_an_edit_swaps_the_block_and_records_the_summary(as_editor, timeline, entry):
    url = reverse("entry-edit", args=[timeline.slug, entry.pk])
    form = as_editor.get(url, **HTMX)
    assert 'value="July 2013"' in form.text
    response = as_editor.post(url, form_data(headline="MINUSMA starts work", summary="Wording"), **HTMX)
    assert response.status_code == 200
    assert f'id="entry-{entry.pk}"' in response.text and "MINUSMA starts work" in response.text
    entry.refresh_from_db()
    assert entry.version == 2
    assert entry.history.first().history_change_reason == "Wording"


def test_a_span_opens_for_editing_with_its_start_and_end_apart_and_saves_unchanged(as_editor, timeline, owner):
    span = entry_create(
        actor=owner,
        timeline=timeline,
        start=datetime.date(2013, 1, 1),
        precision="year",
        end=datetime.date(2023, 1, 1),
        end_precision="year",
        headline="MINUSMA in Mali",
    )
    url = reverse("entry-edit", args=[timeline.slug, span.pk])
    form = as_editor.get(url, **HTMX)
    assert 'name="date" value="2013"' in form.text and 'name="end" value="2023"' in form.text
    data = form_data(date="2013", end="2023", headline="MINUSMA in Mali", summary="Unchanged")
    response = as_editor.post(url, data, **HTMX)
    assert response.status_code == 200
    span.refresh_from_db()
    assert (span.end, span.version) == (datetime.date(2023, 1, 1), 2)


def test_a_stale_save_gets_the_conflict_screen_and_saves_nothing(as_editor, timeline, entry, owner):
    from factline.services import entry_update

    entry_update(entry=entry, actor=owner, expected_version=1, headline="Owner's headline", reason="Tighter")
    response = as_editor.post(reverse("entry-edit", args=[timeline.slug, entry.pk]), form_data(place="Bamako"))
    assert response.status_code == 409
    text = response.text
    assert "olivia changed this entry" in text and "Tighter" in text
    assert "Owner&#x27;s headline" in text and "Bamako" in text
    assert entry.history.count() == 2
    # Keeping mine posts my changes over theirs with the version now saved, and lands as one new version.
    keep = response.context["keep_mine"]
    assert keep["version"] == 2 and keep["place"] == "Bamako"
    assert as_editor.post(reverse("entry-edit", args=[timeline.slug, entry.pk]), keep).status_code == 302
    entry.refresh_from_db()
    assert (entry.place, entry.version) == ("Bamako", 3)
    assert entry.history.count() == 3


def test_keeping_mine_keeps_what_only_they_changed(as_editor, timeline, entry, owner):
    from factline.services import entry_update

    entry_update(entry=entry, actor=owner, expected_version=1, headline="Owner's headline", tags="coup")
    mine = form_data(place="Bamako", headline="Editor's headline", tags="")
    response = as_editor.post(reverse("entry-edit", args=[timeline.slug, entry.pk]), mine)
    assert response.status_code == 409
    keep = response.context["keep_mine"]
    assert as_editor.post(reverse("entry-edit", args=[timeline.slug, entry.pk]), keep).status_code == 302
    entry.refresh_from_db()
    # Both changed the headline: mine wins. Only they changed the tags: theirs stay.
    assert (entry.headline, entry.place, entry.tags) == ("Editor's headline", "Bamako", "coup")


def test_a_date_typed_another_way_is_not_a_change_on_the_conflict_screen(as_editor, timeline, entry, owner):
    from factline.services import entry_update

    entry = entry_update(entry=entry, actor=owner, expected_version=1, tags="un, minusma")
    entry_update(entry=entry, actor=owner, expected_version=2, headline="Owner's headline")
    mine = form_data(date="2013-07", tags="UN,  minusma", place="Bamako", version="2")
    response = as_editor.post(reverse("entry-edit", args=[timeline.slug, entry.pk]), mine)
    mine_changed = {change.name for change in response.context["my_changes"]}
    assert mine_changed == {"place"}
    assert "You left it as it was." in response.text


def test_the_merge_form_combines_both_changes(as_editor, timeline, entry, owner):
    from factline.services import entry_update

    entry_update(entry=entry, actor=owner, expected_version=1, headline="Owner's headline")
    response = as_editor.post(reverse("entry-edit", args=[timeline.slug, entry.pk]), form_data(place="Bamako"))
    merged = response.context["merge_form"].initial
    assert (merged["headline"], merged["place"], merged["version"]) == ("Owner's headline", "Bamako", 2)


def test_publishing_without_support_says_why_next_to_the_button(as_editor, timeline, entry):
    url = reverse("entry-status", args=[timeline.slug, entry.pk])
    response = as_editor.post(url, {"status": "published", "version": entry.version}, **HTMX)
    assert "at least one citation supports it" in response.text
    entry.refresh_from_db()
    assert entry.status == Status.DRAFT


def test_publish_and_unpublish(as_editor, timeline, entry, passage, editor):
    citation_create(actor=editor, entry=entry, passage=passage, quote="voted unanimously")
    url = reverse("entry-status", args=[timeline.slug, entry.pk])
    as_editor.post(url, {"status": "published", "version": entry.version})
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED
    as_editor.post(url, {"status": "draft", "version": entry.version})
    entry.refresh_from_db()
    assert entry.status == Status.DRAFT


@pytest.mark.parametrize("sent", [{}, {"status": ""}, {"status": "voted\x00unanimously"}, {"status": "Draft"}])
def test_a_status_button_without_draft_or_published_is_refused_and_changes_nothing(
    as_editor, timeline, entry, passage, editor, sent
):
    citation_create(actor=editor, entry=entry, passage=passage, quote="voted unanimously")
    entry = entry_set_status(entry=entry, actor=editor, status=Status.PUBLISHED)
    url = reverse("entry-status", args=[timeline.slug, entry.pk])
    response = as_editor.post(url, {**sent, "version": entry.version})
    assert response.status_code == 400 and "draft or published" in response.text
    assert Entry.objects.get(pk=entry.pk).status == Status.PUBLISHED


@pytest.mark.parametrize("summary", ["voted\x00unanimously", "x" * 301])
def test_deleting_with_a_summary_no_form_allows_is_refused_and_deletes_nothing(as_editor, timeline, entry, summary):
    url = reverse("entry-delete", args=[timeline.slug, entry.pk])
    response = as_editor.post(url, {"version": entry.version, "summary": summary})
    assert response.status_code == 400
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_deleting_asks_first_without_javascript_and_is_one_click_with_it(as_editor, timeline, entry):
    url = reverse("entry-delete", args=[timeline.slug, entry.pk])
    assert "Delete this entry?" in as_editor.get(url).text
    response = as_editor.post(url, {"version": entry.version}, **on_page(timeline))
    assert response.status_code == 200
    assert not Entry.objects.exists()
    # In the block's place: what went, and a button that brings it back.
    assert 'class="entry deleted-note"' in response.text and "MINUSMA begins" in response.text
    restore = reverse("entry-restore", args=[timeline.slug, entry.pk])
    assert f'action="{restore}"' in response.text
    assert as_editor.post(restore).status_code == 302
    assert Entry.objects.get().headline == "MINUSMA begins"


def test_removing_a_citation_is_one_click_and_recorded(as_editor, timeline, entry, passage, editor):
    citation = citation_create(actor=editor, entry=entry, passage=passage, stance=Stance.CONTEXT)
    response = as_editor.post(reverse("citation-delete", args=[timeline.slug, citation.pk]), **HTMX)
    assert response.status_code == 200
    assert not Citation.objects.exists()
    assert Citation.history.first().history_user == editor


def test_a_publish_or_delete_pressed_on_an_old_copy_is_refused_and_shows_the_entry_now(
    as_editor, timeline, entry, owner, passage
):
    from factline.services import entry_update

    citation_create(actor=owner, entry=entry, passage=passage, quote="voted unanimously")
    entry = Entry.objects.get(pk=entry.pk)
    shown = entry.version  # the page the editor has open
    entry_update(entry=entry, actor=owner, headline="Owner's headline", reason="Tighter")

    status_url = reverse("entry-status", args=[timeline.slug, entry.pk])
    refused = as_editor.post(status_url, {"status": "published", "version": shown}, **HTMX)
    assert refused.status_code == 409
    assert "Not published: olivia changed this entry after you opened the page." in refused.text
    assert "Owner&#x27;s headline" in refused.text or "Owner's headline" in refused.text
    assert Entry.objects.get().status == Status.DRAFT

    delete_url = reverse("entry-delete", args=[timeline.slug, entry.pk])
    refused = as_editor.post(delete_url, {"version": shown})
    assert refused.status_code == 302 and Entry.objects.exists()
    page = as_editor.get(refused["Location"])
    assert "Not deleted: olivia changed this entry" in page.text

    current = Entry.objects.get().version
    assert as_editor.post(delete_url, {"version": current}, **HTMX).status_code == 200
    assert not Entry.objects.exists()


def test_an_edit_that_does_not_say_its_version_is_refused(as_editor, timeline, entry):
    data = form_data(headline="Overwrite")
    del data["version"]
    response = as_editor.post(reverse("entry-edit", args=[timeline.slug, entry.pk]), data, **HTMX)
    assert response.status_code == 422
    assert Entry.objects.get().headline == "MINUSMA begins"


def test_an_entry_added_under_filters_that_leave_it_out_is_announced_not_slipped_in(as_editor, timeline, entry):
    url = reverse("entry-create", args=[timeline.slug])
    response = as_editor.post(url, form_data(date="2012"), **on_page(timeline, "?flag=disputed"))
    assert response.status_code == 200
    assert "HX-Retarget" not in response  # no block goes into a list that hides it
    assert "The filters in use leave it out" in response.text
    new = Entry.objects.get(start__year=2012)
    assert f'href="{timeline.get_absolute_url()}#entry-{new.pk}"' in response.text
    assert 'value="MINUSMA begins"' not in response.text  # the form is empty again, so nothing is added twice


def test_an_entry_added_under_filters_goes_before_the_next_entry_they_show(as_editor, timeline, entry, owner):
    later = entry_create(actor=owner, timeline=timeline, start=datetime.date(2020, 1, 1), headline="Later", tags="un")
    url = reverse("entry-create", args=[timeline.slug])
    response = as_editor.post(url, form_data(date="2012", tags="un"), **on_page(timeline, "?tag=un"))
    # `entry` (2013) sorts between them but the tag filter hides it.
    assert response["HX-Retarget"] == f"#entry-{later.pk}"
    assert f'<a href="#entry-{entry.pk}">' not in response.text


def test_an_entry_added_from_another_page_with_htmx_goes_to_the_timeline(as_editor, timeline):
    url = reverse("entry-create", args=[timeline.slug])
    headers = {**HTMX, "HTTP_HX_CURRENT_URL": f"http://testserver{url}"}
    response = as_editor.post(url, form_data(), **headers)
    new = Entry.objects.get()
    assert response["HX-Redirect"] == f"{timeline.get_absolute_url()}#entry-{new.pk}"


def test_an_edit_that_moves_the_date_moves_the_block_to_where_it_now_sorts(as_editor, timeline, entry, owner):
    later = entry_create(actor=owner, timeline=timeline, start=datetime.date(2020, 1, 1), headline="Later")
    last = entry_create(actor=owner, timeline=timeline, start=datetime.date(2022, 1, 1), headline="Last")
    url = reverse("entry-edit", args=[timeline.slug, entry.pk])
    response = as_editor.post(url, form_data(date="2021"), **on_page(timeline))
    assert response.status_code == 200
    assert (response["HX-Retarget"], response["HX-Reswap"]) == (f"#entry-{last.pk}", "beforebegin")
    assert f'data-hx-swap-oob="delete:#entry-{entry.pk}"' in response.text  # the old block goes
    assert f'<a href="#entry-{later.pk}">2020</a>' in response.text and ">2013<" not in response.text


def test_an_edit_that_keeps_the_order_is_swapped_where_it_stands(as_editor, timeline, entry, owner):
    entry_create(actor=owner, timeline=timeline, start=datetime.date(2020, 1, 1), headline="Later")
    url = reverse("entry-edit", args=[timeline.slug, entry.pk])
    for date in ("July 2013", "2014"):  # the same date, then a new one that keeps its place
        response = as_editor.post(
            url, form_data(date=date, version=Entry.objects.get(pk=entry.pk).version), **on_page(timeline)
        )
        assert response.status_code == 200
        assert "HX-Retarget" not in response and "delete:" not in response.text
    assert '">2014</a>' in response.text  # the years follow the new date


def test_without_javascript_publishing_and_removing_a_citation_say_what_happened(
    as_editor, timeline, entry, passage, editor
):
    citation = citation_create(actor=editor, entry=entry, passage=passage, quote="voted unanimously")
    response = as_editor.post(
        reverse("entry-status", args=[timeline.slug, entry.pk]), {"status": "published", "version": 1}, follow=True
    )
    assert "Published “MINUSMA begins”." in response.text
    as_editor.post(reverse("entry-status", args=[timeline.slug, entry.pk]), {"status": "draft", "version": 2})
    response = as_editor.post(reverse("citation-delete", args=[timeline.slug, citation.pk]), follow=True)
    assert f"Removed the citation of {passage}." in response.text


def test_pages_answer_head_requests(as_editor, timeline, entry):
    assert as_editor.head(timeline.get_absolute_url()).status_code == 200
    assert as_editor.head(reverse("entry-detail", args=[timeline.slug, entry.pk])).status_code == 200


MALFORMED_VERSIONS = [pytest.param({"version": value}, id=repr(value)) for value in ("", "abc", "-1", "1.5", "0x1")]
MALFORMED_VERSIONS.append(pytest.param({}, id="missing"))


@pytest.mark.parametrize("version", MALFORMED_VERSIONS)
@pytest.mark.parametrize("action", ["publish", "unpublish", "delete"])
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_button_that_does_not_say_its_version_is_refused_with_400(
    as_editor, timeline, entry, passage, owner, version, action, headers
):
    citation_create(actor=owner, entry=entry, passage=passage, quote="voted unanimously")
    if action == "unpublish":
        from factline.services import entry_set_status

        entry_set_status(entry=entry, actor=owner, status=Status.PUBLISHED)
    before = Entry.objects.get()
    if action == "delete":
        url, data = reverse("entry-delete", args=[timeline.slug, entry.pk]), version
    else:
        status = Status.DRAFT if action == "unpublish" else Status.PUBLISHED
        url, data = reverse("entry-status", args=[timeline.slug, entry.pk]), {"status": status, **version}

    response = as_editor.post(url, data, **headers)

    assert response.status_code == 400
    assert "must say which version of the entry it was pressed on" in response.text
    after = Entry.objects.get()
    assert (after.status, after.version) == (before.status, before.version)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_an_add_form_sent_twice_adds_one_entry_and_the_repeat_goes_to_it(as_editor, timeline, headers):
    page = as_editor.get(timeline.get_absolute_url()).text
    once = re.search(r'name="once" value="([^"]+)"', page)[1]
    url = reverse("entry-create", args=[timeline.slug])
    first = as_editor.post(url, form_data(once=once), **headers)
    again = as_editor.post(url, form_data(once=once), **headers)
    entry = Entry.objects.get()
    assert first.status_code in (200, 302)
    went = again["HX-Redirect"] if headers else again["Location"]
    assert went == f"{timeline.get_absolute_url()}#entry-{entry.pk}"


def test_a_cite_sent_twice_cites_once(as_editor, timeline, entry, passage):
    url = reverse("entry-cite", args=[timeline.slug, entry.pk])
    data = {"passage": passage.pk, "stance": "supports", "quote": "voted unanimously", "once": "abc123"}
    assert [as_editor.post(url, data).status_code for _ in range(2)] == [302, 302]
    assert Citation.objects.count() == 1


def test_how_a_date_was_worked_out_is_edited_shown_beside_it_and_kept_in_history(
    as_editor, client, timeline, entry, passage, owner
):
    from factline.services import entry_set_status, timeline_share

    note = "“on Friday” in an article written after June 16, 2023: Friday 30 June."
    url = reverse("entry-edit", args=[timeline.slug, entry.pk])
    assert 'name="date_note"' in as_editor.get(url).text
    response = as_editor.post(url, form_data(date="c. 30 June 2023", date_note=note, summary="Dated"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.date_note, entry.approximate) == (note, True)
    page = as_editor.get(timeline.get_absolute_url()).text
    assert "<summary>How the date was worked out</summary><p>“on Friday” in an article" in page
    # History tells it in words, and a comparison shows its words.
    history = as_editor.get(reverse("entry-history", args=[timeline.slug, entry.pk])).text
    assert "date note written" in history
    first, last = (f"e{row.history_id}" for row in (entry.history.last(), entry.history.first()))
    compared = as_editor.get(reverse("entry-compare", args=[timeline.slug, entry.pk]), {"from": first, "to": last})
    assert "How the date was worked out" in compared.text and "<ins>“on Friday”" in compared.text
    too_long = as_editor.post(url, form_data(date_note="x" * 1001, version=str(entry.version)))
    assert "at most 1000 characters" in too_long.text and Entry.objects.get().date_note == note
    # Readers see it beside the date.
    citation_create(actor=owner, entry=entry, passage=passage)
    entry_set_status(entry=entry, actor=owner, status=Status.PUBLISHED)
    token = timeline_share(timeline=timeline, actor=owner).public_token
    public = client.get(reverse("public-timeline", args=[token])).text
    assert "How the date was worked out</summary><p>“on Friday” in an article" in public
