"""Markdown for entry bodies: rendered, then sanitised to a small set of tags.

markdown-it-py parses CommonMark in time linear in the text (python-markdown took 139 s of CPU on
20,000 `[`); nh3 then keeps only the tags below. Rendered bodies are cached, bounded in bytes.
"""

from __future__ import annotations

import re
import threading
import urllib.parse
from collections import OrderedDict

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
SAFE_SCHEMES = {"http", "https", "mailto"}

_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def runs_elsewhere(href: str) -> bool:
    """Whether a parsed link address names a scheme other than http, https or mailto (javascript:, data:...)."""
    # Browsers drop tabs, line breaks and control characters in addresses; the parser percent-encoded them.
    url = re.sub(r"[\\\x00-\x20\x7f]", "", urllib.parse.unquote(href[:512]))
    scheme = _SCHEME.match(url)
    return scheme is not None and scheme.group()[:-1].lower() not in SAFE_SCHEMES


def _defuse_links(state: StateCore) -> None:
    """A link to anything but the web or mail, or an image, becomes its words: not an <a> without an address."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        kept: list[Token] = []
        dropped: list[bool] = []  # for each open link, whether its opening tag was dropped
        for child in token.children:
            if child.type == "link_open":
                # `![words](address)` (the image rule is off): an image is not shown, its words are.
                image = bool(kept) and kept[-1].type == "text" and kept[-1].content.endswith("!")
                if image:
                    kept[-1].content = kept[-1].content[:-1]
                drop = image or runs_elsewhere(str(child.attrGet("href") or ""))
                dropped.append(drop)
                if drop:
                    continue
            elif child.type == "link_close" and dropped and dropped.pop():
                continue
            kept.append(child)
        token.children = kept


def _parser() -> MarkdownIt:
    # Raw HTML is parsed as CommonMark says, and nh3 removes what is not allowed. Every address is
    # accepted as a link, so that one running elsewhere is seen and made plain words (_defuse_links)
    # instead of showing its Markdown source.
    parser = MarkdownIt("commonmark", {"html": True})
    # Images are not among the allowed tags, and trying each `![` as one doubled the worst case's time.
    parser.disable("image")
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    parser.core.ruler.before("text_join", "defuse_links", _defuse_links)  # `\!` is still apart
    return parser


_PARSER = _parser()

# Pages render the same bodies again and again; the result depends on the text alone. Bounded in
# bytes (text and HTML), not entries: 4,096 bodies of 20,000 characters would be hundreds of MB.
CACHE_BYTES = 8 * 1024 * 1024


class ByteBoundedCache:
    """A least-recently-used map from text to its rendering, holding at most `limit` bytes of both."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self._items: OrderedDict[str, tuple[str, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: str, value: str) -> None:
        cost = len(key.encode()) + len(value.encode())
        if cost > self.limit:
            return
        with self._lock:
            if key in self._items:
                self.size -= self._items.pop(key)[1]
            self._items[key] = (value, cost)
            self.size += cost
            while self.size > self.limit:
                self.size -= self._items.popitem(last=False)[1][1]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._items)


cache = ByteBoundedCache(CACHE_BYTES)


def render(text: str) -> str:
    if not text:
        return ""
    cached = cache.get(text)
    if cached is not None:
        return cached
    html = nh3.clean(
        _PARSER.render(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=SAFE_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()
    cache.put(text, html)
    return html
