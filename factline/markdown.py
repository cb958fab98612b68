"""Markdown for entry bodies: rendered, then sanitised to a small set of tags."""

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render(text: str) -> str:
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
