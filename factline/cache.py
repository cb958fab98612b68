"""The cache: which backend `CACHE_URL` names, and the default, a local-memory cache bounded in bytes.

    CACHE_URL=locmem://                      # the default: this process's memory, 64 MiB at most
    CACHE_URL=locmem://?max_bytes=16777216   # another budget
    CACHE_URL=db://factline_cache            # the database's table (run `manage.py createcachetable`)
    CACHE_URL=redis://127.0.0.1:6379/0       # Redis, through Django's own backend (production)
    CACHE_URL=dummy://                       # no cache at all

Any of them takes `?prefix=` (a key prefix, so several sites can share a Redis) and `?timeout=`
(seconds an entry lives unless the code says otherwise; default 86400).

Django's own local-memory cache bounds the number of entries, not their size: three thousand
cached 2 MB pages would be 6 GB. BoundedLocMemCache keeps a byte budget instead (the pickled
values and their keys) and evicts the least recently used entries beyond it.
"""

from __future__ import annotations

import pickle
import time
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured

DEFAULT_URL = "locmem://"
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_TIMEOUT_SECONDS = 24 * 3600
# What a dictionary slot, the key's str object and the expiry entry cost beyond the bytes themselves.
ENTRY_OVERHEAD = 200

# Sizes by cache name, beside LocMemCache's own module-level stores (several instances share one name).
_sizes: dict[str, dict[str, int]] = {}
_totals: dict[str, list[int]] = {}


class BoundedLocMemCache(LocMemCache):
    """LocMemCache with a budget in bytes (OPTIONS MAX_BYTES): least recently used entries go first."""

    # LocMemCache's own, which django-stubs does not declare.
    _cache: OrderedDict[str, bytes]
    _expire_info: dict[str, float | None]
    _lock: Lock
    _max_entries: int
    _cull_frequency: int
    _has_expired: Callable[[str], bool]

    def __init__(self, name: str, params: dict[str, Any]) -> None:
        super().__init__(name, params)
        options = params.get("OPTIONS") or {}
        self.max_bytes = int(options.get("MAX_BYTES", DEFAULT_MAX_BYTES))
        self._sizes = _sizes.setdefault(name, {})
        self._total = _totals.setdefault(name, [0])

    @property
    def total_bytes(self) -> int:
        """The bytes the entries held now take, by this cache's count."""
        return self._total[0]

    def _size(self, key: str, pickled: bytes) -> int:
        return len(pickled) + len(key) + ENTRY_OVERHEAD

    def _set(self, key: str, value: bytes, timeout: float | None = DEFAULT_TIMEOUT) -> None:
        # Called with the lock held (by set, add), as LocMemCache does.
        self._delete(key)
        size = self._size(key, value)
        if size > self.max_bytes:
            return  # larger than the whole budget: never kept (a cache may always miss)
        while self._cache and (self._total[0] + size > self.max_bytes or len(self._cache) >= self._max_entries):
            oldest, _ = self._cache.popitem()  # the end of the OrderedDict: the least recently used
            self._forget(oldest)
        self._cache[key] = value
        self._cache.move_to_end(key, last=False)
        self._expire_info[key] = self.get_backend_timeout(timeout)
        self._sizes[key] = size
        self._total[0] += size

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(self._cache[key]) + delta
            self._set(key, pickle.dumps(value, self.pickle_protocol), self._remaining(key))
        return value

    def _remaining(self, key: str) -> float | None:
        expires = self._expire_info.get(key)
        return None if expires is None else max(expires - time.time(), 0.001)

    def _forget(self, key: str) -> None:
        self._expire_info.pop(key, None)
        self._total[0] -= self._sizes.pop(key, 0)

    def _cull(self) -> None:
        # LocMemCache's cull drops entries without telling us; _set never calls it, but keep the count right.
        for _ in range(len(self._cache) // max(self._cull_frequency, 1)):
            key, _value = self._cache.popitem()
            self._forget(key)

    def _delete(self, key: str) -> bool:
        if key not in self._cache:
            return False
        del self._cache[key]
        self._forget(key)
        return True

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._sizes.clear()
            self._total[0] = 0


def caches_from_url(url: str) -> dict[str, dict[str, Any]]:
    """Django's CACHES for `url` (see this module's docstring); ImproperlyConfigured names what is wrong."""
    parts = urlsplit(url.strip() or DEFAULT_URL)
    query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"prefix", "timeout", "max_bytes"}
    if unknown:
        raise ImproperlyConfigured(f"CACHE_URL: unknown option(s) {', '.join(sorted(unknown))}.")
    try:
        timeout = int(query.get("timeout", DEFAULT_TIMEOUT_SECONDS))
        max_bytes = int(query.get("max_bytes", DEFAULT_MAX_BYTES))
    except ValueError as error:
        raise ImproperlyConfigured(f"CACHE_URL: timeout and max_bytes are whole numbers ({error}).") from None
    common: dict[str, Any] = {"TIMEOUT": timeout, "KEY_PREFIX": query.get("prefix", "factline")}
    scheme = parts.scheme
    if scheme == "locmem":
        if max_bytes <= 0:
            raise ImproperlyConfigured("CACHE_URL: max_bytes must be positive.")
        backend = {
            "BACKEND": "factline.cache.BoundedLocMemCache",
            "LOCATION": parts.netloc or "factline",
            # Entries are bounded by bytes; the count only has to be out of the way.
            "OPTIONS": {"MAX_BYTES": max_bytes, "MAX_ENTRIES": 1_000_000},
        }
    elif scheme == "db":
        table = parts.netloc or parts.path.lstrip("/")
        if not table.replace("_", "").isalnum():
            raise ImproperlyConfigured("CACHE_URL: db:// needs a table name, e.g. db://factline_cache.")
        backend = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    elif scheme in ("redis", "rediss"):
        location = parts._replace(query="").geturl()
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    elif scheme == "dummy":
        backend = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    else:
        raise ImproperlyConfigured(
            f"CACHE_URL={url!r}: use locmem://, db://<table>, redis://<host>:<port>/<db> or dummy://."
        )
    return {"default": {**backend, **common}}
