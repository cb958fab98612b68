"""`make run` takes the port to serve on, and says the address it serves."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def planned(*args: str) -> str:
    """What `make` would run (-n: nothing is run), its echoes included."""
    done = subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60)
    return done.stdout


@pytest.mark.parametrize(("args", "port"), [(("run",), "8000"), (("run", "PORT=8001"), "8001")])
def test_make_run_serves_on_the_port_it_is_given_and_prints_it(args, port):
    plan = planned(*args)
    assert f"runserver 127.0.0.1:{port}" in plan
    assert f"http://127.0.0.1:{port}/accounts/login/" in plan
    assert f"starting at http://127.0.0.1:{port}/" in plan
    other = "8000" if port != "8000" else "8001"
    assert other not in plan
