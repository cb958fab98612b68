"""External checkers for any page: the Nu HTML checker (vnu) and axe-core, installed from npm once.

Fixtures `vnu` and `axe` (registered in tests/conftest.py):
- `vnu({"name": html, ...})` validates documents in one run of the checker and returns its errors
  as "name:line: message" strings (warnings and info left out);
- `axe(page)` runs axe-core in a Playwright page and returns its violations of impact serious or
  critical, each as "rule: selector, ..." (`axe(page, strict=True)`: of any impact).
Both are installed under test-artifacts/cache/ at their pinned versions the first time. Without npm
(or Java, for vnu) the tests that use them skip and say why; with CI=true they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

VNU = "vnu-jar@26.9.27"
AXE = "axe-core@4.14.1"
CACHE = Path(__file__).resolve().parent.parent / "test-artifacts" / "cache"
# A folder each: npm would remove one package as extraneous when installing the other beside it.
VNU_DIR, AXE_DIR = CACHE / "vnu-jar-26.9.27", CACHE / "axe-core-4.14.1"
VNU_JAR = VNU_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def _missing(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; CI=true makes these checks mandatory.", pytrace=False)
    pytest.skip(message)


def _npm_install(package: str, folder: Path, wanted: Path) -> Path:
    """`package` installed from the npm registry into `folder` (once), and the file of it that is `wanted`."""
    if wanted.exists():
        return wanted
    npm = shutil.which("npm")
    if npm is None:
        _missing(f"npm not found: it installs {package} (apt-get install -y npm)")
    folder.mkdir(parents=True, exist_ok=True)
    command = [npm, "install", "--prefix", str(folder), "--no-save", "--no-audit", "--no-fund", "--ignore-scripts"]
    done = subprocess.run([*command, package], capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0 or not wanted.exists():
        pytest.fail(f"npm could not install {package}:\n{done.stderr[-2000:]}", pytrace=False)
    return wanted


def vnu_errors(documents: dict[str, str], jar: Path) -> list[str]:
    """The Nu HTML checker's errors for each named HTML document, in one run of Java."""
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for name, html in documents.items():
            path = Path(folder) / f"{len(paths):03}.html"
            path.write_text(html, encoding="utf-8")
            paths[str(path)] = name
        done = subprocess.run(
            ["java", "-jar", str(jar), "--format", "json", "--errors-only", *paths],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    report = json.loads(done.stderr or "{}")  # vnu writes its report to stderr
    errors = []
    for message in report.get("messages", []):
        if message.get("type") in ("error", "non-document-error"):
            name = paths.get(message.get("url", "").removeprefix("file:"), "?")
            errors.append(f"{name}:{message.get('lastLine', '?')}: {message.get('message')}")
    return errors


@pytest.fixture(scope="session")
def vnu() -> Callable[[dict[str, str]], list[str]]:
    """Validate HTML documents with the Nu HTML checker: `vnu({"name": html})` gives its errors."""
    if shutil.which("java") is None:
        _missing("java not found: the Nu HTML checker needs Java 17 (apt-get install -y openjdk-17-jre-headless)")
    jar = _npm_install(VNU, VNU_DIR, VNU_JAR)
    return lambda documents: vnu_errors(documents, jar)


def axe_violations(page, source: str, context: str | None = None, *, strict: bool = False) -> list[str]:
    """axe-core's serious and critical violations on `page` (within `context`, a selector, if given).

    `strict` reports violations of every impact, minor and moderate too.
    """
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern.
    page.evaluate(source + "\n;void 0")
    result = page.evaluate(
        "async (context) => await axe.run(context || document, {resultTypes: ['violations']})", context
    )
    return [
        f"{violation['id']}: " + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in result["violations"]
        if strict or violation["impact"] in SERIOUS
    ]


@pytest.fixture(scope="session")
def axe() -> Callable[..., list[str]]:
    """Check a Playwright page with axe-core: `axe(page)` gives its serious and critical violations.

    `axe(page, strict=True)` gives every violation, whatever its impact.
    """
    source = _npm_install(AXE, AXE_DIR, AXE_JS).read_text(encoding="utf-8")
    return lambda page, context=None, *, strict=False: axe_violations(page, source, context, strict=strict)
