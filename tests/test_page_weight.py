"""Page weight: indentation removed where a browser ignores it, print styles off the critical path."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from careleaf.build.page_weight import trim_indentation


def test_indentation_goes_where_it_is_not_rendered():
    html = "<ul>\n    <li>\n      <a href='x'>One</a>\n    </li>\n</ul>\n"
    assert trim_indentation(html) == "<ul>\n<li>\n<a href='x'>One</a>\n</li>\n</ul>\n"


def test_preformatted_text_keeps_its_spaces():
    kept = [
        "<pre><code>def f():\n    return 1\n</code></pre>",
        "<textarea>\n  typed\n</textarea>",
        "<script>\n  var a = `x\n   y`;\n</script>",
        "<CODE class='x'>a\n   b</CODE>",
    ]
    for element in kept:
        assert (
            trim_indentation(f"<div>\n   {element}\n   <p>after</p></div>") == f"<div>\n{element}\n<p>after</p></div>"
        )


def test_built_pages_have_no_indentation_and_link_print_styles_for_paper_only(built_site):
    for path in [
        built_site / "muscle-spasm" / "index.html",
        built_site / "ar" / "index.html",
        built_site / "es" / "404.html",
    ]:
        html = path.read_text(encoding="utf-8")
        outside = re.sub(r"<(pre|code|kbd|textarea|script|style)\b.*?</\1\s*>", "", html, flags=re.S)
        assert not re.search(r"\n[ \t]+<", outside), path
        soup = BeautifulSoup(html, "html.parser")
        sheets = {
            link["href"].rsplit("/", 1)[-1]: link.get("media") for link in soup.find_all("link", rel="stylesheet")
        }
        assert sheets["print.css"] == "print"
        assert sheets["careleaf.css"] is None


def test_careleaf_stylesheets_ship_minified_and_keep_their_rules(built_site):
    from conftest import ROOT

    for name in ("stylesheets/careleaf.css", "stylesheets/print.css", "components/red-flag-card/red-flag-card.css"):
        source = (ROOT / "overrides" / name).read_text(encoding="utf-8")
        shipped = (built_site / name).read_text(encoding="utf-8")
        assert "/*" in source and "/*" not in shipped
        assert len(shipped) < 0.85 * len(source)
    assert ".print-only{display:none}" in (built_site / "stylesheets/careleaf.css").read_text(encoding="utf-8")
