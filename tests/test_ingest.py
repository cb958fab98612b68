"""Reading sources in (factline.ingest): the fetcher's refusals, type detection, HTML and PDF extraction."""

import ipaddress
from pathlib import Path

import pytest

from factline import ingest
from factline.ingest import ImportRefused
from factline.ingest.fetch import fetch, parse, why_not_public
from tests.pdfs import pdf_with_text, pdf_without_text

pytestmark = pytest.mark.usefixtures("fetch_settings")


def refusal(address: str) -> ImportRefused:
    with pytest.raises(ImportRefused) as refused:
        ingest.read_address(address)
    assert refused.value.field == "url"
    return refused.value


@pytest.mark.parametrize(
    ("address", "code", "words"),
    [
        ("file:///etc/passwd", "scheme", "not a file: address"),
        ("javascript:alert(1)", "scheme", "not a javascript: address"),
        ("ftp://example.org/a.txt", "scheme", "not a ftp: address"),
        ("example.org/page", "scheme", "without http:// or https://"),
        ("http://user:secret@example.org/", "credentials", "user name or password"),
        ("http://[::1]/", "private", "loopback"),
        ("http://10.1.2.3/", "private", "private network"),
        ("http://192.168.1.1/", "private", "private network"),
        ("http://169.254.169.254/latest/meta-data/", "private", "link-local"),
        ("http://0.0.0.0/", "private", "unspecified"),
        ("http://[::ffff:127.0.0.1]/", "private", "loopback"),
        ("http://224.0.0.1/", "private", "multicast"),
        ("http://localhost/", "private", "loopback"),
        ("http://2130706433/", "private", "loopback"),  # 127.0.0.1 written as one number
        ("http://[::/", "invalid_address", "not a web address"),
    ],
)
def test_the_fetcher_refuses_addresses_that_are_not_public_web_pages(address, code, words):
    refused = refusal(address)
    assert refused.code == code and words in refused.reason


def test_every_kind_of_address_we_never_fetch_is_named():
    kinds = {
        "127.0.0.1": "loopback",
        "::1": "loopback",
        "10.0.0.1": "private",
        "172.16.5.4": "private",
        "fd00::1": "private",
        "fe80::1": "link-local",
        "ff02::1": "multicast",
        "::ffff:10.0.0.1": "private",
        "2002:7f00:1::": "loopback",  # 6to4 of 127.0.0.1
        "64:ff9b::a00:1": "private",  # NAT64 of 10.0.0.1
        "240.0.0.1": "reserved",
        "100.64.0.1": "not public",
    }
    for address, words in kinds.items():
        assert words in why_not_public(ipaddress.ip_address(address)), address
    assert why_not_public(ipaddress.ip_address("93.184.216.34")) == ""


def test_the_address_is_normalised_and_its_fragment_dropped():
    target = parse("HTTPS://Example.ORG:8443/a b?x=1#part")
    assert (target.scheme, target.host, target.port, target.path) == ("https", "example.org", 8443, "/a b?x=1")
    assert target.url == "https://example.org:8443/a b?x=1" and target.host_header == "example.org:8443"


def test_an_allowed_local_host_is_fetched_and_its_redirects_followed(page_server):
    prepared = ingest.read_address(page_server.url("/moved-twice"))
    assert prepared.address == page_server.url("/moved-twice")
    assert prepared.final_address == page_server.url("/article-plain.html")
    assert prepared.kind == "html" and prepared.fetched is not None
    assert prepared.metadata["title"] == "Security Council ends peacekeeping mission in Mali"
    assert prepared.metadata["publisher"] == "World Wire" and prepared.metadata["published"] == "2023-06-30"


def test_a_redirect_to_a_private_address_is_refused_before_any_connection(page_server):
    refused = refusal(page_server.url("/to-private"))
    assert refused.code == "private" and "10.0.0.1" in refused.reason


def test_a_redirect_to_another_local_name_is_checked_again(page_server):
    assert refusal(page_server.url("/to-loopback-name")).code == "private"


def test_more_than_five_redirects_are_refused(page_server):
    assert "more than 5 times" in refusal(page_server.url("/loop")).reason


def test_a_server_that_never_answers_times_out(page_server, fetch_settings):
    refused = refusal(page_server.url("/silent"))
    assert refused.code == "timeout" and "did not answer within 1.5 seconds" in refused.reason


def test_a_404_is_refused_with_its_status(page_server):
    refused = refusal(page_server.url("/missing.html"))
    assert refused.code == "status" and "404" in refused.reason


def test_a_page_over_5_mb_is_cut_off_while_it_streams(page_server):
    refused = refusal(page_server.url("/huge"))
    assert refused.code == "too_large" and "larger than 5 MB" in refused.reason


def test_an_unsupported_type_is_refused(page_server):
    refused = refusal(page_server.url("/image.png"))
    assert refused.code == "unsupported_type" and "image/png" in refused.reason


def test_a_page_with_no_article_is_refused(page_server):
    assert refusal(page_server.url("/empty.html")).code == "no_article"


def test_fetch_returns_the_bytes_as_received(page_server):
    fetched = fetch(page_server.url("/article-plain.html"))
    assert fetched.data.startswith(b"<!doctype html>") and fetched.content_type == "text/html; charset=utf-8"


def test_html_keeps_the_article_and_leaves_navigation_ads_scripts_and_banners_out():
    page = (Path(__file__).parent / "data" / "pages" / "wire-cookie.html").read_bytes()
    prepared = ingest.read(page, filename="wire-cookie.html")
    citable = "\n".join(p.text for p in prepared.passages if not p.boilerplate)
    assert "Abdoulaye Diop said the mission had become part of the problem" in citable
    for noise in ("cookies", "Share on Facebook", "trackArticle", "Related stories", "Photo: Sahel Daily", "Subscribe"):
        assert noise not in citable
    assert prepared.passages[0].text == "Mali's junta orders UN mission out 'without delay'"


def test_the_text_of_an_html_source_is_one_paragraph_a_line_and_offsets_point_into_it():
    page = (Path(__file__).parent / "data" / "pages" / "magazine-longform.html").read_bytes()
    prepared = ingest.read(page, filename="longform.html")
    for passage in prepared.passages:
        assert prepared.text[passage.start : passage.end] == passage.text
    kinds = {p.text: p.kind for p in prepared.passages}
    assert (
        kinds["A costly mission"] == "heading"
        and kinds["- withdraw its personnel by December 31, 2023;"] == "list_item"
    )


def test_a_pdf_with_a_text_layer_is_read_as_paragraphs():
    data = pdf_with_text(
        "Resolution 2690 (2023)",
        [
            "The Security Council decides to terminate the mandate of MINUSMA on 30 June 2023.",
            "Requests the Secretary-General to complete the withdrawal by 31 December 2023.",
        ],
    )
    prepared = ingest.read(data, filename="res2690.pdf")
    assert prepared.kind == "pdf" and prepared.metadata["title"] == "Resolution 2690 (2023)"
    texts = [p.text for p in prepared.passages]
    assert texts[0] == "Resolution 2690 (2023)"
    assert "The Security Council decides to terminate the mandate of MINUSMA on 30 June 2023." in texts


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "empty.txt", "empty"),
        (b"  \n\n ", "blank.txt", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "photo.txt", "binary"),
        ("Les soldats de l'ONU ont quitté Kidal.\n".encode("latin-1"), "latin.txt", "encoding"),
        (b"<html><body><nav><a href='/'>Home</a></nav><footer>(c)</footer></body></html>", "nav.html", "no_article"),
        (pdf_without_text(), "scan.pdf", "no_text_layer"),
        (b"%PDF-1.4 this is not really a PDF", "broken.pdf", "bad_pdf"),
        (b"PK\x03\x04 a word file", "report.docx", "unsupported_type"),
    ],
)
def test_bad_files_are_refused_each_with_its_reason(data, name, code):
    with pytest.raises(ImportRefused) as refused:
        ingest.read(data, filename=name)
    assert refused.value.code == code


def test_a_file_over_5_mb_is_refused_before_it_is_read():
    with pytest.raises(ImportRefused, match="larger than 5 MB") as refused:
        ingest.read(b"a" * (5 * 1024 * 1024 + 1), filename="big.txt")
    assert refused.value.code == "too_large"


def test_the_text_fingerprint_ignores_white_space_only():
    assert ingest.text_hash("Title\n\nOne  two\u00a0three.\n") == ingest.text_hash("Title One two three.")
    assert ingest.text_hash("Title One two three.") != ingest.text_hash("Title One two three!")
