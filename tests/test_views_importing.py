"""Adding a source in the browser: paste, upload, address; the preview; duplicates; the original as received.

Every refusal is shown beside its field and stores nothing (run on SQLite and PostgreSQL alike).
"""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factline.models import Source, SourceOriginal, StagedSource
from tests.conftest import stored
from tests.pdfs import pdf_with_text, pdf_without_text

PAGES = Path(__file__).resolve().parent / "data" / "pages"
CREATE = reverse("source-create")


def error_of(response, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}_error">([^<]*)</p>', response.text)
    return found.group(1) if found else ""


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> dict:
    return {"way": "upload", "file": SimpleUploadedFile(name, data, content_type=content_type)}


@pytest.fixture
def editor_client(login, editor, timeline):
    return login(editor)


def test_pasted_text_is_previewed_then_saved_with_history(editor_client, editor):
    text = "The council voted on Friday.\r\n\r\nThe mission leaves by December.\r\nLeave a Reply\r\nNice post!"
    response = editor_client.post(CREATE, {"way": "paste", "title": "Council vote", "text": text})
    assert response.status_code == 302 and Source.objects.count() == 0
    preview = editor_client.get(response["Location"])
    assert "Preview: nothing is saved yet" in preview.text
    assert re.findall(r'<p class="passage-text">([^<]*)</p>', preview.text) == [
        "Council vote",
        "The council voted on Friday.",
        "The mission leaves by December.",
        "Leave a Reply",
        "Nice post!",
    ]
    assert preview.text.count('<details class="boilerplate-fold">') == 2
    assert 'value="Council vote"' in preview.text
    saved = editor_client.post(
        response["Location"], {"title": "Council votes", "publisher": "Wire", "language": "en", "action": "save"}
    )
    source = Source.objects.get()
    assert saved["Location"] == source.get_absolute_url()
    assert (source.title, source.publisher, source.passages.count()) == ("Council votes", "Wire", 5)
    body = "The council voted on Friday.\n\nThe mission leaves by December.\nLeave a Reply\nNice post!\n"
    assert source.text == "Council vote\n\n" + body
    assert source.history.get().history_user == editor and source.passages.first().history.get().history_user == editor
    assert not StagedSource.objects.exists() and not SourceOriginal.objects.exists()


def test_an_html_upload_keeps_only_the_article_citable_and_the_original_as_a_download(editor_client):
    page = (PAGES / "wire-cookie.html").read_bytes()
    response = editor_client.post(CREATE, upload("wire-cookie.html", page, "text/html"))
    preview = editor_client.get(response["Location"])
    assert 'value="Sahel Daily"' in preview.text and 'value="16 June 2023"' in preview.text
    editor_client.post(response["Location"], {"title": "Junta orders UN out", "language": "en", "action": "save"})
    source = Source.objects.get()
    citable = [p.text for p in source.passages.filter(boilerplate=False)]
    assert citable[0] == "Mali's junta orders UN mission out 'without delay'"  # the page's title, as read
    assert not any("cookie" in text.lower() or "Share on" in text for text in citable)
    assert bytes(source.original.data) == page and source.original.sha256 == source.checksum
    original = editor_client.get(reverse("source-original", args=[source.pk]))
    assert original.status_code == 200 and original.content == page
    assert original["Content-Disposition"].startswith("attachment;")
    assert original["Content-Type"] == "application/octet-stream"
    assert original["X-Content-Type-Options"] == "nosniff" and "sandbox" in original["Content-Security-Policy"]


def test_a_pdf_upload_becomes_a_source_with_its_text(editor_client):
    pdf = pdf_with_text("Resolution 2690 (2023)", ["The Security Council decides to end the mandate of MINUSMA."])
    response = editor_client.post(CREATE, upload("res.pdf", pdf, "application/pdf"))
    editor_client.post(response["Location"], {"title": "Resolution 2690 (2023)", "language": "en", "action": "save"})
    source = Source.objects.get()
    assert "The Security Council decides to end the mandate of MINUSMA." in [p.text for p in source.passages.all()]
    assert editor_client.get(reverse("source-original", args=[source.pk]))["Content-Type"] == "application/pdf"


def test_an_address_is_fetched_through_its_redirect(editor_client, page_server, fetch_settings):
    response = editor_client.post(CREATE, {"way": "address", "url": page_server.url("/moved")})
    assert response.status_code == 302
    preview = editor_client.get(response["Location"])
    assert page_server.url("/article-plain.html") in preview.text and "(asked for" in preview.text
    editor_client.post(
        response["Location"], {"title": "Council ends mission", "language": "en", "action": "save", "url": ""}
    )
    original = Source.objects.get().original
    assert original.address == page_server.url("/moved")
    assert original.final_address == page_server.url("/article-plain.html") and original.fetched is not None


def test_the_same_text_or_address_is_refused_with_a_link_to_the_source_already_there(
    editor_client, page_server, fetch_settings
):
    first = editor_client.post(CREATE, {"way": "address", "url": page_server.url("/article-plain.html")})
    editor_client.post(first["Location"], {"title": "Council", "language": "en", "action": "save"})
    source = Source.objects.get()
    before = stored()
    again = editor_client.post(CREATE, {"way": "address", "url": page_server.url("/moved")})
    assert again.status_code == 422 and "This address was already imported as source" in error_of(again, "address_url")
    assert f'href="{source.get_absolute_url()}"' in again.text
    text = (PAGES / "article-plain.txt").read_text()
    pasted = editor_client.post(CREATE, {"way": "paste", "title": text.split("\n")[0], "text": text.split("\n", 1)[1]})
    assert pasted.status_code == 302  # a pasted copy differs from the page's extraction in its title line only...
    same = source.text.split("\n", 1)
    dup = editor_client.post(CREATE, {"way": "paste", "title": same[0], "text": "  " + same[1].replace("\n\n", "\n")})
    assert "This text was already imported" in error_of(dup, "paste_text")  # ...the same words are refused
    assert stored()[:5] == before[:5]


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (upload("empty.txt", b""), "upload_file", "The submitted file is empty."),
        (upload("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "upload_file", "photo.txt: not a text file"),
        (upload("latin.txt", "Kidal, l'été.\n".encode("latin-1")), "upload_file", "latin.txt: not UTF-8 text"),
        (upload("big.txt", b"a" * (6 * 1024 * 1024)), "upload_file", "big.txt: it is larger than 5 MB."),
        (upload("nav.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>"), "upload_file", "no article"),
        (upload("scan.pdf", pdf_without_text()), "upload_file", "scan.pdf: the PDF has no text layer"),
        (upload("notes.docx", b"PK\x03\x04"), "upload_file", "Only .txt, .html, .htm and .pdf files"),
        ({"way": "paste", "title": "Title", "text": "   "}, "paste_text", "This field is required."),
        ({"way": "address", "url": "http://127.0.0.1/"}, "address_url", "loopback"),
        ({"way": "address", "url": "http://10.0.0.8/"}, "address_url", "private network"),
        ({"way": "address", "url": "http://192.168.0.1/"}, "address_url", "private network"),
        ({"way": "address", "url": "http://[::1]/"}, "address_url", "loopback"),
        ({"way": "address", "url": "file:///etc/passwd"}, "address_url", "not a file: address"),
        ({"way": "address", "url": "javascript:alert(1)"}, "address_url", "not a javascript: address"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_stores_nothing(editor_client, data, field, words):
    before = stored()
    response = editor_client.post(CREATE, data)
    assert response.status_code == 422
    assert words in error_of(response, field), response.text[:3000]
    assert stored() == before


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/to-private", "10.0.0.1 is a private network address"),
        ("/silent", "did not answer within 1.5 seconds"),
        ("/missing.html", "The server answered 404"),
        ("/empty.html", "No article text was found"),
    ],
)
def test_bad_addresses_are_refused_beside_the_field_and_store_nothing(
    editor_client, page_server, fetch_settings, path, words
):
    before = stored()
    response = editor_client.post(CREATE, {"way": "address", "url": page_server.url(path)})
    assert response.status_code == 422 and words in error_of(response, "address_url")
    assert 'value="' + page_server.url(path) + '"' in response.text  # the address typed stays in its field
    assert stored() == before


def test_a_preview_belongs_to_its_editor_and_can_be_discarded(editor_client, owner, timeline):
    from django.test import Client

    from tests.conftest import PASSWORD

    response = editor_client.post(CREATE, {"way": "paste", "title": "Mine", "text": "Some words of mine."})
    preview = response["Location"]
    other = Client()
    other.login(username=owner.username, password=PASSWORD)
    assert other.get(preview).status_code == 404  # another editor cannot open (or save) it
    assert other.post(preview, {"title": "Theirs", "language": "en", "action": "save"}).status_code == 404
    client = editor_client
    discarded = client.post(preview, {"action": "discard"})
    assert discarded["Location"] == CREATE and not StagedSource.objects.exists()
    assert client.get(preview).status_code == 404 and not Source.objects.exists()


def test_viewers_and_people_without_a_timeline_cannot_add_sources(login, viewer, outsider, timeline):
    for person in (viewer, outsider):
        client = login(person)
        assert client.get(CREATE).status_code == 403
        assert client.post(CREATE, {"way": "paste", "title": "T", "text": "Words."}).status_code == 403
        assert "New source" not in client.get(reverse("source-list")).text
    assert stored() == (0, 0, 0, 0, 0, 0)


def test_new_source_is_offered_on_the_sources_page_and_in_the_finder(editor_client, timeline, editor):
    from factline.services import entry_create

    entry = entry_create(actor=editor, timeline=timeline, start=__import__("datetime").date(2023, 1, 1), headline="E")
    assert f'href="{CREATE}"' in editor_client.get(reverse("source-list")).text
    finder = editor_client.get(reverse("entry-cite", args=[timeline.slug, entry.pk])).text
    assert f'href="{CREATE}?entry={entry.pk}"' in finder
    response = editor_client.post(
        f"{CREATE}?entry={entry.pk}", {"way": "paste", "title": "T", "text": "Words to cite.", "entry": entry.pk}
    )
    assert response["Location"].endswith(f"?entry={entry.pk}")
    saved = editor_client.post(response["Location"], {"title": "T", "language": "en", "action": "save"})
    assert saved["Location"] == f"{Source.objects.get().get_absolute_url()}?entry={entry.pk}"  # back to citing


def test_a_preview_saved_twice_makes_one_source_and_the_repeat_goes_to_it(editor_client):
    text = "The council voted on Friday.\n\nThe mission leaves by December."
    preview = editor_client.post(CREATE, {"way": "paste", "title": "Council vote", "text": text})["Location"]
    details = {"title": "Council vote", "language": "en", "action": "save"}
    first, again = (editor_client.post(preview, details) for _ in range(2))
    source = Source.objects.get()
    assert first["Location"] == again["Location"] == source.get_absolute_url()
    assert editor_client.get(preview)["Location"] == source.get_absolute_url()  # the back button, too
