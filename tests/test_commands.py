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
