"""`{% time_axis entries %}`: the time axis above a list, from the entries the page already loaded."""

from __future__ import annotations

from django import template

from factline import axis as axis_module

register = template.Library()


@register.inclusion_tag("components/time_axis.html", takes_context=True)
def time_axis(context: template.Context, entries, title: str = "", sticky: bool = False) -> dict:
    """Lay out `entries` on a time axis, zoomed as the page's `?from=&to=` ask."""
    request = context.get("request")
    axis = axis_module.build(entries, request.GET if request is not None else None)
    drafts = axis is not None and any(mark.draft for mark in axis.marks)
    return {"axis": axis, "title": title, "sticky": sticky, "drafts": drafts}
