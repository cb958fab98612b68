"""The settings gunicorn runs with in `make bench` and `make loadtest`: production's, DEBUG off.

Only what a bench needs differs: its own static root (collectstatic'd, served by whitenoise), plain
HTTP over loopback (no Secure cookies), and the in-process client the builder uses to size pages.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("SECURE_COOKIES", "0")

from factline.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"]) if os.environ.get("BENCH_STATIC_ROOT") else STATIC_ROOT  # noqa: F405
# The bench's accounts log in over HTTP many times; the work of a password hash is not what it measures.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Refused saves (409) and the like are what a load test makes by design: log only server errors.
LOGGING = {**LOGGING, "loggers": {"django.request": {"level": "ERROR"}}}  # noqa: F405
