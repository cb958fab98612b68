"""What kind of document came in, and its article as plain text: one paragraph per line, title first.

HTML is reduced to the article by trafilatura (see the README for how it compared with
readability-lxml and jusText on our test pages); PDF text comes from pypdf's text layer; text files
are kept exactly as they are. `split_passages` then numbers the lines as it always has.
"""

from __future__ import annotations

import datetime
import io
import logging
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from factline.ingest.errors import ImportRefused

TEXT, HTML, PDF = "text", "html", "pdf"
CONTENT_TYPES = {TEXT: "text/plain; charset=utf-8", HTML: "text/html", PDF: "application/pdf"}
EXTENSIONS = {".txt": TEXT, ".text": TEXT, ".html": HTML, ".htm": HTML, ".pdf": PDF}
MAX_PDF_PAGES = 500

# trafilatura and pypdf say a great deal about pages they find odd; a refusal says what matters.
for noisy in ("trafilatura", "htmldate", "courlan", "pypdf"):
    logging.getLogger(noisy).setLevel(logging.ERROR)


@dataclass(frozen=True)
class Extracted:
    kind: str
    text: str
    title: str = ""
    author: str = ""
    publisher: str = ""
    published: datetime.date | None = None
    language: str = ""


def detect(data: bytes, *, filename: str = "", content_type: str = "") -> str:
    """TEXT, HTML or PDF, from the bytes themselves first, then the file name, then the declared type."""
    declared = content_type.split(";")[0].strip().lower()
    extension = PurePath(filename).suffix.lower() if filename else ""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data.startswith(b"%PDF-"):
        return PDF
    if extension == ".pdf" or declared == "application/pdf":
        return PDF  # pypdf says it is not a readable PDF
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or extension in (".html", ".htm"):
        return HTML
    if declared in ("text/html", "application/xhtml+xml"):
        return HTML
    if extension in EXTENSIONS or (not extension and declared in ("", "text/plain")):
        return TEXT
    if filename and extension not in EXTENSIONS:
        raise ImportRefused(
            "Only .txt, .html, .htm and .pdf files can be imported.", field="file", code="unsupported_type"
        )
    raise ImportRefused(
        f"The page is {declared or 'of an unknown type'}: only web pages, PDF and plain text can be imported.",
        field="url",
        code="unsupported_type",
    )


def extract(data: bytes, kind: str) -> Extracted:
    if kind == PDF:
        return _pdf(data)
    if kind == HTML:
        return _html(data)
    return _text(data)


def _text(data: bytes) -> Extracted:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused("not UTF-8 text (it is UTF-16); save it as UTF-8 and try again.", code="encoding")
    if b"\x00" in data:
        raise ImportRefused("not a text file (it contains NUL bytes).", field="file", code="binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            f"not UTF-8 text (bad byte at position {error.start}); save it as UTF-8 and try again.",
            field="file",
            code="encoding",
        ) from None
    return Extracted(TEXT, text.removeprefix("\ufeff"))


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


_LANG = re.compile(rb"<html[^>]*\blang\s*=\s*[\"']?([a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})?)", re.I)


def _html(data: bytes) -> Extracted:
    import trafilatura
    from trafilatura.settings import Document

    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused("not a web page (it contains NUL bytes).", field="file", code="binary")
    # Comments, images and links are not the article; tables are (a list of figures can be cited).
    document = trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_tables=True, include_images=False, deduplicate=False
    )
    if not isinstance(document, Document):
        document = Document()
    lines = [line.strip() for line in (document.text or "").splitlines() if line.strip()]
    if not lines or sum(len(line) for line in lines) < 40:
        raise ImportRefused(
            "no article text was found in the page (it may need JavaScript, or hold only links).",
            field="file",
            code="no_article",
        )
    title = " ".join((document.title or "").split())[:300] or lines[0][:300]
    language = document.language or ""
    if not language and (found := _LANG.search(data[:4096])):
        language = found.group(1).decode("ascii")
    return Extracted(
        HTML,
        "\n\n".join([title, *lines]) + "\n",
        title=title,
        author=" ".join((document.author or "").split())[:200],
        publisher=" ".join((document.sitename or "").split())[:200],
        published=_date(document.date),
        language=language.lower()[:16],
    )


_SENTENCE_END = re.compile(r"[.!?:;”\")]$")


def _paragraphs(page: str) -> list[str]:
    """A PDF page's lines joined back into paragraphs: a short line ending a sentence ends one."""
    lines = [" ".join(line.split()) for line in page.splitlines()]
    full = max((len(line) for line in lines), default=0)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if current.endswith("-") and line[:1].islower():
            current += line  # a word broken at the end of a line
        else:
            current = f"{current} {line}" if current else line
        if _SENTENCE_END.search(line) and len(line) < 0.85 * full:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def _page_text(page) -> str:
    # The layout mode keeps the blank space between paragraphs as blank lines; the plain mode is the fallback.
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except Exception:
        return page.extract_text() or ""


def _pdf(data: bytes) -> Extracted:
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ImportRefused("the PDF is password-protected.", field="file", code="encrypted")
        pages = [_page_text(page) for page in reader.pages[:MAX_PDF_PAGES]]
        info: Any = reader.metadata or {}
    except ImportRefused:
        raise
    except Exception:  # pypdf raises many kinds of errors for broken files; all mean the same here
        raise ImportRefused("not a readable PDF.", field="file", code="bad_pdf") from None
    paragraphs = [paragraph for page in pages for paragraph in _paragraphs(page)]
    if sum(len(paragraph) for paragraph in paragraphs) < 20:
        raise ImportRefused(
            "the PDF has no text layer (a scan?): only PDFs with selectable text can be imported.",
            field="file",
            code="no_text_layer",
        )
    title = " ".join(str(info.get("/Title") or "").split())[:300]
    if not title or title.lower() in ("untitled", "microsoft word"):
        title = paragraphs[0][:300]
    else:
        paragraphs.insert(0, title)
    published = None
    created = str(info.get("/CreationDate") or "")
    if (found := re.match(r"D:(\d{4})(\d{2})(\d{2})", created)) is not None:
        try:
            published = datetime.date(*(int(part) for part in found.groups()))
        except ValueError:
            published = None
    return Extracted(
        PDF,
        "\n\n".join(paragraphs) + "\n",
        title=title,
        author=" ".join(str(info.get("/Author") or "").split())[:200],
        published=published,
    )
