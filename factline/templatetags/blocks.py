"""`{% entry_block %}` and `{% entry_blocks entries %}`: entries' blocks, rendered once per change (fragments.py)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from factline import fragments

register = template.Library()


@register.simple_tag(takes_context=True)
def entry_block(context: template.Context) -> SafeString:
    """The block of the context's `entry`, with the context's flags (`past`, `heading`, `focus`…)."""
    return fragments.block(context)


@register.simple_tag(takes_context=True)
def entry_blocks(context: template.Context, entries) -> SafeString:
    """Each of `entries`' blocks in order, as a list page shows them."""
    return fragments.blocks(context, entries)
