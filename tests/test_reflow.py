"""WCAG 1.4.10 reflow: at 320 px and at 200% zoom, nothing is cut off and nothing scrolls sideways."""

from __future__ import annotations

import pytest

from test_build import LANGUAGES, SLUGS, page_path

# 200% zoom of a 1280 px window lays the page out in 640 CSS pixels, at twice the pixel density.
LAYOUTS = {"320px": {"width": 320, "scale": 1}, "zoom-200%": {"width": 640, "scale": 2}}

OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const cut = [...document.querySelectorAll(".md-content *, .md-header *")]
        .filter(el => el.offsetParent !== null && getComputedStyle(el).position !== "fixed")
        .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.right > width + 1 || r.left < -1); })
        .filter(el => !el.closest(".md-search, .md-sidebar, .visually-hidden, .md-select__inner"))
        .map(el => el.tagName + "." + el.className);
    return {scroll: document.documentElement.scrollWidth - width, cut: cut.slice(0, 5)};
}"""


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_reflow_without_horizontal_scrolling(browser, served_site, lang, layout):
    context = browser.new_context(
        viewport={"width": layout["width"], "height": 800}, device_scale_factor=layout["scale"]
    )
    page = context.new_page()
    problems = {}
    try:
        for path in [page_path(lang)] + [page_path(lang, slug) for slug in SLUGS]:
            page.goto(f"{served_site}/{path.removesuffix('index.html')}")
            result = page.evaluate(OVERFLOW)
            if result["scroll"] > 0 or result["cut"]:
                problems[path] = result
    finally:
        context.close()
    assert problems == {}
