"""A language added later in a script of its own (Korean, in Hangul): its handouts print real fonts
and pass veraPDF, their text extracts whole, and on screen no word breaks across lines."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from careleaf.model.content import read_page
from careleaf.outputs import accessible_pdf, verapdf
from conftest import ROOT, copy_project, home, mkdocs_build
from test_pdf_ua import break_role_map

pytestmark = [pytest.mark.build]

HANGUL = r"[\uac00-\ud7a3]+"

ARTICLES = {
    "finger-care": {
        "related": "wrist-care",
        "en": {
            "title": "Finger care",
            "summary": "How to care for a hurt finger at home, and when to get help.",
            "intro": "You hurt your finger. This page tells you how to care for it at home while it heals.",
            "care_heading": "Home care",
            "care": [
                "Raise your hand above your heart when you can. This helps the swelling go down.",
                "Wrap ice in a thin cloth and hold it on your finger for 15 to 20 minutes at a time.",
                "Keep the splint on and dry. Do not take it off to test your finger.",
            ],
            "flags_heading": "When to get medical help",
            "emergency": ["you cannot move your finger", "your finger turns cold, blue or very pale"],
            "urgent": ["the pain gets worse even after you take pain medicine"],
            "next_heading": "Follow-up",
            "next": "See your provider in about 1 week, even if your finger feels better.",
        },
        "ko": {
            "title": "손가락 돌보기",
            "summary": "다친 손가락을 집에서 돌보는 방법과 도움을 받아야 할 때를 알려 드립니다.",
            "intro": "손가락을 다치셨습니다. 이 페이지는 손가락이 낫는 동안 집에서 돌보는 방법을 알려 드립니다.",
            "care_heading": "집에서 돌보기",
            "care": [
                "할 수 있을 때마다 손을 심장보다 높이 올려 두세요. 그러면 붓기가 빠지는 데 도움이 됩니다.",
                "얼음을 얇은 천으로 싸서 한 번에 15분에서 20분 동안 손가락에 대세요.",
                "부목을 계속 대고 마른 상태로 두세요. 손가락을 시험해 보려고 부목을 떼지 마세요.",
            ],
            "flags_heading": "의료 도움을 받아야 할 때",
            "emergency": ["손가락을 움직일 수 없습니다", "손가락이 차가워지거나 파랗게 또는 아주 창백하게 변합니다"],
            "urgent": ["진통제를 먹은 뒤에도 통증이 더 심해집니다"],
            "next_heading": "다음 진료",
            "next": "손가락이 나아진 것 같아도 약 1주일 뒤에 담당 의료진을 만나세요.",
        },
    },
    "wrist-care": {
        "related": "finger-care",
        "en": {
            "title": "Wrist care",
            "summary": "How to care for a hurt wrist at home, and when to get help.",
            "intro": "You hurt your wrist. This page tells you how to care for it at home while it heals.",
            "care_heading": "Home care",
            "care": [
                "Rest your wrist and raise it on pillows when you sit or lie down.",
                "Move your fingers gently a few times a day so they do not get stiff.",
                "Take off rings and watches on that arm right away, before your hand swells.",
            ],
            "flags_heading": "When to get medical help",
            "emergency": ["your fingers are numb and do not get better after you raise your hand for 30 minutes"],
            "urgent": ["the cast or splint feels too tight"],
            "next_heading": "Follow-up",
            "next": "Keep your follow-up visit, even if your wrist feels better.",
        },
        "ko": {
            "title": "손목 돌보기",
            "summary": "다친 손목을 집에서 돌보는 방법과 도움을 받아야 할 때를 알려 드립니다.",
            "intro": "손목을 다치셨습니다. 이 페이지는 손목이 낫는 동안 집에서 돌보는 방법을 알려 드립니다.",
            "care_heading": "집에서 돌보기",
            "care": [
                "손목을 쉬게 하고, 앉거나 누울 때는 베개 위에 올려 두세요.",
                "손가락이 뻣뻣해지지 않도록 하루에 몇 번씩 손가락을 부드럽게 움직이세요.",
                "손이 붓기 전에 그쪽 팔의 반지와 시계를 바로 빼세요.",
            ],
            "flags_heading": "의료 도움을 받아야 할 때",
            "emergency": ["손을 30분 동안 올려 두어도 손가락의 감각이 돌아오지 않습니다"],
            "urgent": ["깁스나 부목이 너무 꽉 조입니다"],
            "next_heading": "다음 진료",
            "next": "손목이 나아진 것 같아도 다음 진료 약속을 지키세요.",
        },
    },
}

GLOSSARY = {
    "en": 'splint:\n  term: splint\n  forms: []\n  definition: "A firm support that holds a body part still."\n',
    "ko": 'splint:\n  term: 부목\n  forms: []\n  definition: "몸의 한 부분을 움직이지 않게 잡아 주는 단단한 받침입니다."\n',
}


def article_text(slug: str, lang: str, translation: str = "") -> str:
    words = ARTICLES[slug][lang]
    signs = lambda tier: "".join(f"    - {sign}\n" for sign in words[tier])  # noqa: E731
    return (
        f"---\ntitle: {words['title']}\nsummary: {words['summary']}\ncategory: bones-and-joints\n"
        f"related:\n  - {ARTICLES[slug]['related']}\nreviewed: 2026-11-21\nreview_due: 2027-11-21\n{translation}---\n\n"
        f"{words['intro']}\n\n## {words['care_heading']}\n\n"
        + "".join(f"- {line}\n" for line in words["care"])
        + f"\n## {words['flags_heading']} {{#red-flags}}\n\n!!! emergency\n\n{signs('emergency')}\n!!! urgent\n\n{signs('urgent')}\n"
        f"## {words['next_heading']}\n\n{words['next']}\n"
    )


def translation_block(revision: dict) -> str:
    return (
        f"translation:\n  status: machine-draft\n  source_revision:\n"
        f"    red_flags: {revision['red_flags']}\n    text: {revision['text']}\n"
    )


def korean_library(target: Path) -> Path:
    """The real project's theme, hooks and settings, with a library of two articles in English and Korean."""
    project = copy_project(target)
    shutil.rmtree(project / "docs")
    for path in [*(project / "locales").glob("*.yml"), *(project / "locales" / "glossary").glob("*.yml")]:
        path.unlink()
    shutil.copy(ROOT / "locales" / "en.yml", project / "locales" / "en.yml")
    # The interface strings stay English here: what is proven is the script, not a translation.
    shutil.copy(ROOT / "locales" / "en.yml", project / "locales" / "ko.yml")
    for lang, entries in GLOSSARY.items():
        (project / "locales" / "glossary" / f"{lang}.yml").write_text(entries, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    languages = (
        "      languages:\n        - locale: en\n          name: English\n          default: true\n          build: true\n"
        "        - locale: ko\n          name: 한국어\n          build: true\n"
    )
    config, replaced = re.subn(r"      languages:\n(        - locale: .*\n(          .*\n)*)+", languages, config)
    assert replaced == 1
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    english = project / "docs" / "en"
    english.mkdir(parents=True)
    (english / "index.md").write_text(home("en"), encoding="utf-8")
    for slug in ARTICLES:
        (english / f"{slug}.md").write_text(article_text(slug, "en"), encoding="utf-8")
    korean = project / "docs" / "ko"
    korean.mkdir()
    revisions = {path.stem: read_page(path, "en").source_revision() for path in english.glob("*.md")}
    (korean / "index.md").write_text(
        home("ko", revisions["index"]).replace("Welcome (ko).", "환영합니다."), encoding="utf-8"
    )
    for slug in ARTICLES:
        (korean / f"{slug}.md").write_text(
            article_text(slug, "ko", translation_block(revisions[slug])), encoding="utf-8"
        )
    return project


@pytest.fixture(scope="module")
def korean_site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("korean")
    project = korean_library(work / "project")
    site = work / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return site


def korean_handouts(site: Path) -> list[Path]:
    return sorted((site / "handouts" / "ko").glob("*.pdf"))


def test_korean_handouts_embed_real_fonts_and_pass_verapdf(korean_site, tmp_path):
    handouts = korean_handouts(korean_site)
    # Two articles: clear print, large print and bilingual.
    assert len(handouts) == 6
    assert {pdf.name: accessible_pdf.type3_fonts(pdf) for pdf in handouts} == {pdf.name: 0 for pdf in handouts}
    known_bad = break_role_map(handouts[0], tmp_path / "known-bad.pdf")
    verdicts = verapdf.validate([*handouts, known_bad])
    assert not verdicts[known_bad].passed
    assert {pdf.name: verdicts[pdf].problems() for pdf in handouts} == {pdf.name: [] for pdf in handouts}
    assert all(accessible_pdf.claims_pdf_ua(pdf) for pdf in handouts)


@pytest.mark.parametrize("slug", list(ARTICLES))
def test_korean_handout_text_extracts_as_the_page_words(korean_site, slug):
    page = BeautifulSoup((korean_site / "ko" / slug / "index.html").read_text(encoding="utf-8"), "html.parser")
    known = set(re.findall(HANGUL, unicodedata.normalize("NFC", page.get_text(" "))))
    for pdf in (
        korean_site / "handouts" / "ko" / f"{slug}.pdf",
        korean_site / "handouts" / "ko" / f"{slug}.large-print.pdf",
    ):
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        words = re.findall(HANGUL, unicodedata.normalize("NFC", text))
        assert len(words) > 60
        missing = [word for word in words if word not in known]
        assert len(missing) <= len(words) / 100, missing


# Every Hangul word of the article's text whose letters sit on more than one line.
_BROKEN_WORDS = r"""() => {
  const broken = [], words = [];
  const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
  const lines = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (const match of node.data.matchAll(/[\uac00-\ud7a3]+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
      tops.forEach((top) => lines.add(top));
      words.push(match[0]);
      if (tops.size > 1) broken.push(match[0]);
    }
  }
  return {words: words.length, lines: lines.size, broken};
}"""


def test_hangul_words_never_break_across_lines_on_a_phone(korean_site, browser):
    from conftest import _serve

    server = _serve(korean_site)
    url = next(server)
    page = browser.new_page(viewport={"width": 320, "height": 640})
    try:
        page.goto(f"{url.rstrip('/')}/ko/finger-care/")
        kept = page.evaluate(_BROKEN_WORDS)
        assert kept["words"] > 60 and kept["lines"] > 20
        assert kept["broken"] == []
        # The same page with the browser's default line breaking splits words: the check can fail.
        # (the page's Content-Security-Policy refuses an injected style sheet; the CSS object model is allowed)
        page.evaluate(
            "() => document.querySelectorAll('*').forEach((element) => "
            "element.style.setProperty('word-break', 'normal', 'important'))"
        )
        assert page.evaluate(_BROKEN_WORDS)["broken"] != []
    finally:
        page.close()
        server.close()
