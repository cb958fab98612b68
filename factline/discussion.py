"""@username mentions in comments: found in one linear pass, linked only where they name a member."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

# Django's usernames: letters, digits and @.+-_. A mention is not preceded by a word character (an email
# address is no mention); a trailing full stop ends the sentence, not the name.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]{1,150})")
# Beyond this many distinct names a comment is a list of people, not a conversation; the rest are not looked up.
MAX_MENTIONS = 20


def _name(match: re.Match[str]) -> str:
    return match.group(1).rstrip(".")


def names_in(text: str) -> list[str]:
    """The distinct @names in `text`, in order of appearance, at most MAX_MENTIONS."""
    names: dict[str, None] = {}
    for match in MENTION.finditer(text):
        name = _name(match)
        if name:
            names[name] = None
            if len(names) >= MAX_MENTIONS:
                break
    return list(names)


def link_mentions(text: str, members: Collection[str], url: Callable[[str], str]) -> str:
    """`text` (Markdown) with each @name of `members` made a Markdown link to `url(name)`; other @names stay text."""

    def link(match: re.Match[str]) -> str:
        name = _name(match)
        if name not in members:
            return match.group(0)
        rest = match.group(1)[len(name) :]
        # Escaped so Markdown reads the name literally (underscores, plus signs).
        shown = re.sub(r"([\\`*_\[\]()#+.!-])", r"\\\1", name)
        return f"[@{shown}]({url(name)}){rest}"

    return MENTION.sub(link, text)
