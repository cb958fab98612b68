"""Downloads of a timeline: the formats offered, the export of entries in one of them, and the file response."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from factline import exports
from factline.models import Citation, Entry, Timeline

# The downloads, by the name in their URL: (label, content type, file name ending).
FORMATS = {
    "json": ("JSON", "application/json", "json"),
    "csv": ("CSV", "text/csv; charset=utf-8", "csv"),
    "timelinejs": ("TimelineJS", "application/json", "timelinejs.json"),
    "md": ("Markdown", "text/markdown; charset=utf-8", "md"),
}
# Excel reads a CSV as the machine's legacy code page unless it starts with a byte-order mark, and
# turns "Bamako–Gao" into mojibake; with one it reads UTF-8. Python's csv (decode as "utf-8-sig"),
# pandas, R and LibreOffice skip the mark.
WITH_BOM = {"csv"}


def build(
    fmt: str,
    timeline: Timeline,
    entries: list[Entry],
    *,
    as_of: datetime.datetime | None = None,
    context_url: Callable[[Citation], str] | None = None,
) -> str:
    """The export of `entries` in format `fmt`, as text."""
    if fmt == "json":
        data: dict[str, Any] = exports.timeline_json(timeline, entries)
        if as_of is not None:
            data["as_of"] = as_of.isoformat()
        return json.dumps(data, ensure_ascii=False, indent=2)
    if fmt == "csv":
        return exports.timeline_csv(entries, context_url=context_url)
    if fmt == "timelinejs":
        data = exports.timeline_timelinejs(timeline, entries, as_of=as_of, context_url=context_url)
        return json.dumps(data, ensure_ascii=False, indent=2)
    return exports.timeline_markdown(timeline, entries, as_of=as_of, context_url=context_url)


def download(text: str, fmt: str, name: str) -> HttpResponse:
    """`text` as a file to save, with its content type and file name."""
    _label, content_type, ending = FORMATS[fmt]
    response = HttpResponse(text.encode("utf-8-sig" if fmt in WITH_BOM else "utf-8"), content_type=content_type)
    disposition = content_disposition_header(as_attachment=True, filename=f"{name}.{ending}")
    response["Content-Disposition"] = disposition or "attachment"  # None only when not an attachment
    return response
