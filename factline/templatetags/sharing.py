"""`{% share_meta %}`: a public page's card image and oEmbed discovery link, for the <head>."""

from __future__ import annotations

from django import template

from factline import cards
from factline.presentation.embed import oembed_link

register = template.Library()


@register.inclusion_tag("components/share_meta.html", takes_context=True)
def share_meta(context: template.Context) -> dict:
    """The Open Graph / Twitter card image of the page's address and, where it can be embedded, its oEmbed link."""
    request, view = context["request"], context["view"]
    return {
        "card": request.build_absolute_uri(view.url("card")),
        "width": cards.WIDTH,
        "height": cards.HEIGHT,
        "title": view.timeline.title,
        "oembed": oembed_link(request, view) if view.kind in ("link", "snapshot") else "",
    }
