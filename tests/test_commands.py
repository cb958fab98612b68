"""The management commands a deployment meets: demo accounts only in development, clear one-line import errors.

import_source's refusals of a file that is not UTF-8, empty or already imported are in test_seeds.py.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from factline.models import Membership, Source
from factline.models.timelines import Role


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def accounts() -> list[tuple]:
    users = list(get_user_model().objects.order_by("pk").values_list("pk", "username", "password"))
    return users + list(Membership.objects.order_by("pk").values_list("pk", "user_id", "timeline_id", "role"))


def test_demo_accounts_refuse_to_run_without_debug_and_create_nothing(settings, timeline):
    settings.DEBUG = False
    before = accounts()
    with pytest.raises(CommandError, match="development only") as refused:
        call_command("demo_accounts", "--timeline", timeline.slug)
    assert "\n" not in str(refused.value)
    assert accounts() == before


def test_demo_accounts_with_debug_make_an_owner_and_an_editor_who_can_log_in(settings, client, timeline):
    settings.DEBUG = True
    out = run("demo_accounts", "--timeline", timeline.slug)
    assert "log in as “owner” or “editor” with the password “factline-demo”" in out
    roles = dict(Membership.objects.filter(timeline=timeline).values_list("user__username", "role"))
    assert (roles["owner"], roles["editor"]) == (Role.OWNER, Role.EDITOR)
    assert client.login(username="editor", password="factline-demo")
    assert client.get(timeline.get_absolute_url()).status_code == 200


def test_demo_accounts_run_twice_change_nothing_the_second_time(settings, timeline):
    settings.DEBUG = True
    run("demo_accounts", "--timeline", timeline.slug)
    editor = get_user_model().objects.get(username="editor")
    editor.set_password("chosen by the editor")
    editor.save()
    before = accounts()
    run("demo_accounts", "--timeline", timeline.slug)
    assert accounts() == before


def test_demo_accounts_without_the_demo_timeline_say_so_and_create_nothing(settings, db):
    settings.DEBUG = True
    with pytest.raises(CommandError, match=r"There is no timeline “mali”: run load_seeds first\."):
        call_command("demo_accounts")
    assert not get_user_model().objects.exists()


def test_import_source_names_a_file_it_cannot_read_in_one_line(db, tmp_path):
    with pytest.raises(CommandError, match=r"missing\.txt: cannot be read \(No such file or directory\)\.") as refused:
        call_command("import_source", str(tmp_path / "missing.txt"))
    assert "\n" not in str(refused.value) and not Source.objects.exists()


def test_import_source_refuses_a_binary_file_that_happens_to_decode(db, tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"Title\n\n\x00\x01\x02 body")
    with pytest.raises(CommandError, match=r"image\.txt: not a text file \(it contains NUL bytes\)\.") as refused:
        call_command("import_source", str(binary))
    assert "\n" not in str(refused.value) and not Source.objects.exists()


def test_import_source_reads_an_html_page_and_export_sources_shows_only_its_article_as_citable(db):
    import json
    from pathlib import Path

    page = Path(__file__).parent / "data" / "pages" / "blog-comments.html"
    out = run("import_source", str(page))
    assert out.startswith("Imported blog-comments.html: “Why the end of MINUSMA matters for Gao”")
    [exported] = json.loads(run("export_sources"))["sources"]
    citable = [p["text"] for p in exported["passages"] if not p["boilerplate"]]
    noise = [p["text"] for p in exported["passages"] if p["boilerplate"]]
    expected = (page.with_suffix(".txt")).read_text().split("\n\n")
    assert citable == [line.strip() for line in expected if line.strip()]
    assert all("Leave a Reply" not in text and "Solar lanterns" not in text for text in citable)
    assert noise == []  # the sidebar, ads and comment form are left out altogether


def test_import_source_fetches_an_address_and_refuses_it_twice_with_the_source_named(db, page_server, fetch_settings):
    out = run("import_source", "--url", page_server.url("/moved"))
    assert "Imported http://127.0.0.1:" in out and "Security Council ends peacekeeping mission in Mali" in out
    source = Source.objects.get()
    assert source.original.final_address == page_server.url("/article-plain.html")
    with pytest.raises(CommandError, match=rf"already imported as source {source.pk}") as refused:
        call_command("import_source", "--url", page_server.url("/article-plain.html"))
    assert "\n" not in str(refused.value) and Source.objects.count() == 1


def test_import_source_refuses_a_private_address_in_one_line(db, fetch_settings):
    with pytest.raises(CommandError, match=r"http://10\.0\.0\.1/: 10\.0\.0\.1 is a private network address") as refused:
        call_command("import_source", "--url", "http://10.0.0.1/")
    assert "\n" not in str(refused.value) and not Source.objects.exists()


def test_import_source_reads_a_pdf(db, tmp_path):
    from tests.pdfs import pdf_with_text

    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_with_text("MINUSMA report", ["The mission closed its last camp in December 2023."]))
    assert "“MINUSMA report”, 2 passages" in run("import_source", str(path))
