"""Small PDFs for tests, written by hand: one with a text layer, one that is only a drawing (a scan has no text)."""

from __future__ import annotations


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        len(objects),
        xref,
    )
    return bytes(out)


def _escape(text: str) -> bytes:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def _page(content: bytes, title: str) -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Title (" + _escape(title) + b") /CreationDate (D:20230630120000Z) >>",
        ]
    )


def pdf_with_text(title: str, paragraphs: list[str]) -> bytes:
    """A one-page PDF whose text layer holds `paragraphs`, each on its own line with space between."""
    lines = [b"BT /F1 11 Tf 72 720 Td 14 TL"]
    for paragraph in paragraphs:
        lines.append(b"(" + _escape(paragraph) + b") Tj T* T*")
    lines.append(b"ET")
    return _page(b"\n".join(lines), title)


def pdf_without_text() -> bytes:
    """A page with a filled rectangle and no text at all, as a scanned page without OCR is."""
    return _page(b"0.5 g 72 600 300 100 re f", "Scanned report")
