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
