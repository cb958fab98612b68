"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Without CI a machine with no Chromium skips these tests and says so; with CI=true they fail.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop on the main thread; the ORM calls made by the
# tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI=true makes browser tests mandatory.", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Make a page (optionally with JavaScript off or a phone's width) in a fresh context."""
    contexts = []

    def make(*, javascript: bool = True, width: int = 1280, height: int = 900):
        context = browser.new_context(
            java_script_enabled=javascript, viewport={"width": width, "height": height}, base_url=live_server.url
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda msg: errors.append(msg.text) if _is_error(msg) else None)
        page.js_errors = errors
        return page

    yield make
    for context in contexts:
        context.close()


def _is_error(message) -> bool:
    # Chromium logs every 4xx; a refused form (422) or an edit conflict (409) is an answer, not an error.
    expected = "the server responded with a status of 409" in message.text or "status of 422" in message.text
    # The finder's newer search cancels the one still in flight (hx-sync="this:replace"); htmx logs
    # the cancelled request as an error ("htmx:sendAbort" and its "htmx:afterRequest"). A request
    # that truly fails also logs htmx:sendError, htmx:timeout or htmx:responseError, still counted.
    superseded = message.text.startswith(("htmx:sendAbort,", "htmx:afterRequest,"))
    return message.type == "error" and not (expected or superseded)


@pytest.fixture
def page(new_page):
    return new_page()


def login(page, username: str, password: str) -> None:
    """Log in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    follow(page.get_by_role("button", name="Log in"))


def follow(target) -> None:
    """Click a link or button that loads a new page, and wait until that page has loaded.

    A plain click returns as soon as the navigation starts: a check made then may read the old page
    or none at all (`document.documentElement` is null for a moment, as CI once caught).
    """
    with target.page.expect_navigation():
        target.click()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ for people to look at.

    The caret is left alone: hiding it makes Playwright leave `style=""` on every input, htmx then
    copies that attribute onto swapped-in copies, and the strict CSP rightly reports it as an error.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, caret="initial")
    return path
