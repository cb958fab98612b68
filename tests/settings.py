"""Settings for the test suite: production settings with a throwaway key and a fast password hasher."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")

from factline.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# Serve static files straight from static/ (no collectstatic in tests), for the browser tests too.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The concurrency tests send simultaneous requests to a threaded live server, whose threads open
# connections of their own: an in-memory SQLite would be one shared connection (or a shared cache that
# fails at once instead of waiting), so the SQLite pass runs on a file, one per run.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"factline-tests-{os.getpid()}.sqlite3")
    }
