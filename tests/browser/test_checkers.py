"""The checkers other tests rely on (tests/checkers.py) do find what they are for."""


def test_the_nu_html_checker_reports_bad_markup_by_document_and_line(vnu):
    good = '<!doctype html><html lang="en"><head><title>Fine</title></head><body><p>Fine.</p></body></html>'
    bad = '<!doctype html><html lang="en"><head><title>Bad</title></head>\n<body><p hx-get="/x">Bad</p></body></html>'
    errors = vnu({"good": good, "bad": bad})
    assert len(errors) == 1 and errors[0].startswith("bad:2: Attribute “hx-get” not allowed")


def test_axe_reports_serious_and_critical_violations_only(page, axe):
    page.set_content(
        '<!doctype html><html lang="en"><head><title>T</title></head><body><main>'
        '<img src="data:,"><a href="#x"></a><h3>Skipped a level</h3></main></body></html>'
    )
    found = axe(page)
    assert {violation.split(":")[0] for violation in found} == {"image-alt", "link-name"}  # heading-order is moderate
    assert axe(page, "h3") == []
    every = {violation.split(":")[0] for violation in axe(page, strict=True)}
    assert every == {"image-alt", "link-name", "page-has-heading-one"}  # moderate: reported only when strict
