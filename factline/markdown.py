"""Markdown for entry bodies: rendered, then sanitised to a small set of tags."""

import functools
import threading

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}

# Building a Markdown instance costs far more than converting a short body; a converter is
# not thread-safe, so each thread keeps its own and resets it between bodies.
_local = threading.local()


def _converter() -> markdown_lib.Markdown:
    if not hasattr(_local, "converter"):
        _local.converter = markdown_lib.Markdown(extensions=["sane_lists"], output_format="html")
    return _local.converter


# Pages render the same bodies again and again; the result depends on the text alone.
@functools.lru_cache(maxsize=4096)
def render(text: str) -> str:
    if not text:
        return ""
    html = _converter().reset().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
