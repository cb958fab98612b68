from factline.markdown import render


def test_it_renders_markdown():
    assert render("**Coup** in [Bamako](https://example.org)") == (
        '<p><strong>Coup</strong> in <a href="https://example.org" rel="noopener noreferrer nofollow">Bamako</a></p>'
    )


def test_it_strips_scripts_handlers_styles_and_javascript_links():
    html = render(
        '<script>alert(1)</script><img src=x onerror=alert(1)> <b style="color:red">x</b> [a](javascript:alert(1))'
    )
    for bad in ("<script", "onerror", "style=", "javascript:", "<img"):
        assert bad not in html
