"""Settings read from the environment: a yes/no variable that cannot be read stops the start."""

import os
import subprocess
import sys

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
