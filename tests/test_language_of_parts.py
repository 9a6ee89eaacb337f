"""Language of parts (WCAG 3.1.2): English words inside Chinese or Arabic text are marked lang="en"."""

from __future__ import annotations

import markdown
from bs4 import BeautifulSoup


def render(text: str) -> BeautifulSoup:
    html = markdown.markdown(
        text, extensions=["careleaf.build.language_of_parts", "careleaf.model.glossary", "md_in_html", "attr_list"]
    )
    return BeautifulSoup(html, "html.parser")


def english(soup: BeautifulSoup) -> list[str]:
    return [span.get_text() for span in soup.find_all("span", lang="en")]


def test_english_words_in_chinese_text_are_marked():
    soup = render("肌肉痉挛（spasm）很常见。做 MRI 检查。**Ice** 冰敷。多发性硬化症（multiple sclerosis）。")
    assert english(soup) == ["spasm", "MRI", "Ice", "multiple sclerosis"]
    assert soup.get_text() == "肌肉痉挛（spasm）很常见。做 MRI 检查。Ice 冰敷。多发性硬化症（multiple sclerosis）。"


def test_english_words_in_arabic_text_are_marked():
    soup = render("التهاب المفاصل (arthritis) شائع جدا في كبار السن.")
    assert english(soup) == ["arthritis"]


def test_pages_in_latin_script_languages_are_left_as_written():
    for text in ["Muscle spasm (MRI) is common. 中文", "La resonancia magnética (MRI) muestra el hueso."]:
        assert english(render(text)) == []


def test_code_and_parts_that_give_their_own_language_are_left_alone():
    soup = render('如果<span lang="fr">la **douleur** forte</span>加重，请看 `code x` 的说明。很重要的事情。')
    assert english(soup) == []
    assert soup.find("span", lang="fr").get_text() == "la douleur forte"
    block = render('<div markdown="1" lang="es">\n\nTexto 中\n\n</div>\n\n中文中文中文中文 word')
    assert english(block) == ["word"]


def test_built_chinese_article_marks_its_english_terms(built_site):
    article = BeautifulSoup(
        (built_site / "zh" / "muscle-spasm" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    terms = english(article.find("article"))
    assert {"spasm", "cramp", "spasticity"} <= set(terms)
    english_article = BeautifulSoup(
        (built_site / "muscle-spasm" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert english(english_article.find("article")) == []
