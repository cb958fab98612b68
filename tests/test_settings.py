"""Settings read from the environment: a yes/no variable that cannot be read stops the start."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from factline.settings import env_bool


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), (" Yes ", True), ("ON", True), ("0", False), ("false", False), ("no", False)],
)
def test_a_yes_or_no_is_read_in_its_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("FACTLINE_FLAG", value)
    assert env_bool("FACTLINE_FLAG", default=not expected) is expected


@pytest.mark.parametrize("value", [None, "", "  "])
def test_an_unset_or_empty_variable_takes_the_default(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("FACTLINE_FLAG", raising=False)
    else:
        monkeypatch.setenv("FACTLINE_FLAG", value)
    assert env_bool("FACTLINE_FLAG", default=True) is True
    assert env_bool("FACTLINE_FLAG", default=False) is False


@pytest.mark.parametrize("value", ["ture", "enabled", "2", "off!"])
def test_a_value_that_is_neither_yes_nor_no_is_refused_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("FACTLINE_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match=f"FACTLINE_FLAG='{value}'"):
        env_bool("FACTLINE_FLAG")


def test_the_app_does_not_start_with_a_debug_it_cannot_read():
    env = {**os.environ, "DEBUG": "ture", "SECRET_KEY": "x", "DJANGO_SETTINGS_MODULE": "factline.settings"}
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode != 0
    assert "ImproperlyConfigured: DEBUG='ture' is neither yes nor no" in run.stderr


README = Path(__file__).resolve().parent.parent / "README.md"


def documented_production_environment() -> dict[str, str]:
    """The variables of README's "# production environment" block, a real secret key in place of its placeholder."""
    block = re.search(r"```sh\n# production environment\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert block, "README lost its production environment block"
    variables = dict(line.split("=", 1) for line in block.group(1).splitlines() if "=" in line)
    variables["SECRET_KEY"] = secrets.token_urlsafe(50)
    return variables


def test_check_deploy_under_the_documented_production_environment_warns_of_nothing(tmp_path):
    kept = {name: value for name, value in os.environ.items() if not name.startswith(("SECURE_", "DJANGO_"))}
    env = {
        **kept,
        **documented_production_environment(),
        "DJANGO_SETTINGS_MODULE": "factline.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    run = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=README.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout
    assert "WARNING" not in run.stdout + run.stderr


def test_the_https_settings_are_read_from_the_environment():
    env = {**documented_production_environment(), "DJANGO_SETTINGS_MODULE": "factline.settings"}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True, check=True
    )
    assert run.stdout.split("\n")[0] == "True 31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https') True True"


@pytest.mark.parametrize(
    ("name", "value"),
    [("SECURE_HSTS_SECONDS", "a year"), ("SECURE_HSTS_SECONDS", "-1"), ("SECURE_PROXY_SSL_HEADER", "https")],
)
def test_an_https_setting_it_cannot_read_stops_the_start(name, value):
    env = {**os.environ, "DEBUG": "1", name: value, "DJANGO_SETTINGS_MODULE": "factline.settings"}
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode != 0 and f"ImproperlyConfigured: {name}=" in run.stderr
