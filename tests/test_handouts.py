"""PDF handouts printed by Chromium: page counts, complete red-flag cards, words to know, fonts, no network."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from careleaf.outputs.handouts import body_size, comparable, pdf_text, text_sizes
from conftest import (
    CARELEAF_SETTINGS,
    article,
    copy_project,
    edit,
    keep_languages,
    mkdocs_build,
    run_careleaf,
    without_handouts,
)
from test_build import ARTICLES, CATALOGUES, PROJECT, page_path, words_to_know

LETTER = (612, 792)  # points
A4 = (596, 843)  # 210 x 297 mm as Chromium rounds it
BILINGUAL = [(slug, lang) for slug, lang in ARTICLES if lang != PROJECT.default_language]
SHARD_SETTING = '      handouts:\n        shard: !ENV [CARELEAF_HANDOUT_SHARD, ""]\n'


def red_flag_texts(built_site, slug: str, lang: str) -> list[str]:
    """The red-flag heading and every tier item, as the HTML page shows them."""
    soup = BeautifulSoup((built_site / page_path(lang, slug)).read_text(encoding="utf-8"), "html.parser")
    texts = [soup.select_one("h2#red-flags").get_text(strip=True)]
    texts += [li.get_text(" ", strip=True) for li in soup.select(".red-flags .care-card li")]
    assert len(texts) > 3
    return texts


def test_printing_a_built_site_again_takes_every_unchanged_page_from_the_cache(built_site):
    result = run_careleaf(["handouts", "--site", str(built_site)], timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    total = 2 * len(ARTICLES) + len(BILINGUAL)
    header = next(line for line in result.stdout.splitlines() if line.startswith("article"))
    assert header.split()[1:] == list(PROJECT.languages)
    assert f"{total} PDFs in " in result.stdout
    assert " 0 printed " in result.stdout and f"{total} unchanged" in result.stdout
    assert "accessibility problems: 0;" in result.stdout and "requests blocked: 0" in result.stdout
    assert f"PDF/UA (passed veraPDF): {total} of {total};" in result.stdout


def printed_jobs(build_output: str) -> set[str]:
    return {line.split(" printing ", 1)[1].strip() for line in build_output.splitlines() if " printing " in line}


def test_the_build_prints_again_only_the_pages_that_changed(tmp_path):
    project = copy_project(tmp_path / "project")
    first = mkdocs_build(project, tmp_path / "site")  # the session's print cache holds the library as it is
    assert first.returncode == 0, first.stderr
    assert printed_jobs(first.stderr) == set()
    note = f"Keep this handout ({uuid.uuid4().hex})."  # new to the shared cache on every run
    edit(project / "docs" / "en" / "finger-dislocation.md", "## ", f"{note}\n\n## ")
    second = mkdocs_build(project, tmp_path / "site", strict=False)  # the translations are now stale
    assert second.returncode == 0, second.stderr
    printed = printed_jobs(second.stderr)
    assert {
        "en/finger-dislocation",
        "en/finger-dislocation (large-print)",
        "es/finger-dislocation (bilingual)",
    } <= printed
    assert all(job.split(" ")[0].endswith("/finger-dislocation") for job in printed), printed
    assert note in pdf_text(tmp_path / "site" / "handouts" / "en" / "finger-dislocation.pdf")
    # A new article: every page's navigation (and the home page) changes; only its own handouts print.
    # Its text new to the shared print cache too: another test may have printed a "Hand rest" already.
    new_article = article("en", "Hand rest").replace("## ", f"{note}\n\n## ", 1)
    (project / "docs" / "en" / "hand-rest.md").write_text(new_article, encoding="utf-8")
    third = mkdocs_build(project, tmp_path / "site", strict=False)  # its translations are missing
    assert third.returncode == 0, third.stderr
    printed = printed_jobs(third.stderr)
    assert {"en/hand-rest", "es/hand-rest", "ar/hand-rest (large-print)"} <= printed
    assert all(job.split(" ")[0].endswith("/hand-rest") for job in printed), printed


def test_a_site_built_without_handouts_links_to_none(tmp_path):
    project = copy_project(tmp_path / "project")
    without_handouts(project)
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site" / "handouts").exists()
    soup = BeautifulSoup(
        (tmp_path / "site" / "es" / "finger-dislocation" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert soup.select_one(".careleaf-actions button") is not None
    assert soup.select(".careleaf-actions a") == []


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_single_language_handout_fits_four_letter_pages_with_its_complete_red_flags(
    built_site, built_handouts, slug, lang
):
    pdf = built_handouts / lang / f"{slug}.pdf"
    reader = PdfReader(pdf)
    assert 1 <= len(reader.pages) <= 4
    assert tuple(round(float(value)) for value in reader.pages[0].mediabox[2:]) == LETTER
    text = comparable(pdf_text(pdf))
    missing = [item for item in red_flag_texts(built_site, slug, lang) if comparable(item) not in text]
    assert missing == []


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_handout_prints_the_words_to_know_with_their_definitions(built_site, built_handouts, slug, lang):
    soup = BeautifulSoup((built_site / page_path(lang, slug)).read_text(encoding="utf-8"), "html.parser")
    words = words_to_know(soup)
    assert words
    text = comparable(pdf_text(built_handouts / lang / f"{slug}.pdf"))
    expected = [CATALOGUES[lang]["glossary"]["words_to_know"], *(part for word in words for part in word)]
    assert [item for item in expected if comparable(item) not in text] == []


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_handout_is_clear_print_every_character_at_12_points_or_more(built_handouts, slug, lang):
    sizes = text_sizes(built_handouts / lang / f"{slug}.pdf")
    body, _ = sizes.most_common(1)[0]
    assert body >= 12
    assert min(sizes) >= 12, sizes


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_large_print_handout_sets_every_character_at_16_points_or_more(built_handouts, slug, lang):
    sizes = text_sizes(built_handouts / lang / f"{slug}.large-print.pdf")
    assert body_size(built_handouts / lang / f"{slug}.large-print.pdf") >= 18
    assert min(sizes) >= 16, sizes


@pytest.mark.parametrize("suffix", ["pdf", "large-print.pdf"])
@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_handout_prints_each_red_flag_card_whole_on_one_page_with_its_heading(
    built_site, built_handouts, slug, lang, suffix
):
    pdf = built_handouts / lang / f"{slug}.{suffix}"
    pages = [comparable(pdf_page_text(pdf, number)) for number in range(1, len(PdfReader(pdf).pages) + 1)]
    soup = BeautifulSoup((built_site / page_path(lang, slug)).read_text(encoding="utf-8"), "html.parser")
    section_heading = comparable(soup.select_one("h2#red-flags").get_text(strip=True))
    for number, card in enumerate(soup.select(".red-flags .care-card")):
        heading = card.select_one(".care-card__heading")  # its own words, not the hidden urgency prefix
        texts = [comparable("".join(heading.find_all(string=True, recursive=False)))]
        texts += [comparable(part.get_text(" ", strip=True)) for part in card.select("li, .care-card__fallback")]
        if number == 0:  # the emergency card stays with the section's heading
            texts.insert(0, section_heading)
        holding = [page for page, text in enumerate(pages, start=1) if all(item in text for item in texts)]
        assert holding, f"card {number + 1} is split across pages or parted from its heading"


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_handout_embeds_every_font(built_handouts, slug, lang):
    reader = PdfReader(built_handouts / lang / f"{slug}.pdf")
    fonts = {}
    for page in reader.pages:
        for name, font in (page["/Resources"].get("/Font") or {}).items():
            font = font.get_object()
            descriptor_owner = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descriptor_owner.get("/FontDescriptor")
            # Type 3 fonts carry their glyphs as drawings inside the PDF: embedded by nature.
            embedded = font["/Subtype"] == "/Type3" or (
                descriptor is not None
                and any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            )
            fonts[str(font.get("/BaseFont", name))] = embedded
    assert fonts and all(fonts.values()), fonts


@pytest.mark.parametrize("slug,lang", BILINGUAL)
def test_bilingual_handout_has_both_languages_complete_in_eight_pages(built_site, built_handouts, slug, lang):
    pdf = built_handouts / lang / f"{slug}.bilingual.pdf"
    assert 2 <= len(PdfReader(pdf).pages) <= 8
    text = comparable(pdf_text(pdf))
    for language in (lang, PROJECT.default_language):
        missing = [item for item in red_flag_texts(built_site, slug, language) if comparable(item) not in text]
        assert missing == [], language
    # The patient's language comes first.
    assert lang_title_in(comparable(pdf_page_text(pdf, 1)), built_site, slug, lang)


def test_a4_handouts_fit_four_pages_too(browser, built_site, tmp_path):
    from careleaf.model.content import Library
    from careleaf.outputs import handouts as printer

    site = tmp_path / "site"
    shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("*.pdf"))
    run = printer.build(
        Library.load(PROJECT), site, progress=lambda line: None, kinds=(printer.CLEAR,), page_size="A4", browser=browser
    )
    assert len(run.results) == len(ARTICLES)
    for result in run.results:
        reader = PdfReader(result.job.target)
        assert tuple(round(float(value)) for value in reader.pages[0].mediabox[2:]) == A4
        assert 1 <= len(reader.pages) <= 4, result.job.label


def pdf_page_text(pdf, number: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(number), "-l", str(number), "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def lang_title_in(text: str, built_site, slug: str, lang: str) -> bool:
    soup = BeautifulSoup((built_site / page_path(lang, slug)).read_text(encoding="utf-8"), "html.parser")
    return comparable(soup.h1.get_text(strip=True)) in text


def test_a_missing_glyph_or_reordered_text_would_be_caught():
    # The comparison forgives presentation forms, bidi controls and line breaks only, not lost or
    # reordered letters or marks: Arabic ligatures and marks extract in reading order now.
    assert comparable("\ufefb \u202bعلى\u202c") == comparable("لا\nعلى")
    assert comparable("الأصلي") != comparable("األصلي")
    assert comparable("على") != comparable("عىل")
    assert comparable("مقدّم") != comparable("مقّدم")
    assert comparable("38 °C (100.4 °F)") != comparable("C (100.4 °F) °38")
    assert comparable("你的手指发冷") != comparable("你的手发冷")


def test_a_one_language_editing_build_prints_none_and_links_none(tmp_path):
    # CARELEAF_LANGUAGE builds Spanish only: a bilingual handout would have no English page to print.
    project = copy_project(tmp_path / "project")
    result = mkdocs_build(project, tmp_path / "site", CARELEAF_LANGUAGE="es")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site" / "handouts").exists()
    page = tmp_path / "site" / "muscle-spasm" / "index.html"  # the one language is built at the root
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == "es"
    assert soup.select_one(".careleaf-actions button") is not None and soup.select(".careleaf-actions a") == []


def one_printed_page(tmp_path: Path, raw_pdf: bytes):
    """A one-page site and a print cache holding that page's print (`raw_pdf`): the job, the cache, the print's digest."""
    from careleaf.outputs import handouts

    page = tmp_path / "site" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>A page</p>", encoding="utf-8")
    job = handouts.Job("a", "en", handouts.CLEAR, (page,), tmp_path / "out" / "a.pdf", "A")
    cache = handouts.PrintCache(tmp_path / "cache", settings="test")
    raw = cache.blobs.keep(raw_pdf)
    cache.store_print(job, tmp_path / "site", raw, ["A"], [])
    return job, cache, raw


def test_the_print_cache_keeps_a_finished_variant_for_each_date_it_finished(tmp_path):
    # A release (the commit's date), a preview with no date and a test build each find their own
    # finished PDF: switching between them finishes nothing again, in this build or the next.
    from careleaf.outputs import accessible_pdf, handouts

    job, cache, raw = one_printed_page(tmp_path, b"%PDF raw")
    finished_for = []

    def finish(cache: handouts.PrintCache, epoch: int | None) -> None:
        entry = cache.printed(job, tmp_path / "site")
        assert entry is not None
        finishing = accessible_pdf.Finishing("A", "en", epoch, tmp_path / "site", "https://x.example/", ("A",))
        if cache.copy_finished(job, entry, finishing) is None:
            finished_for.append(epoch)
            finished = f"%PDF raw finished {epoch}".encode()
            job.target.parent.mkdir(parents=True, exist_ok=True)
            job.target.write_bytes(finished)
            cache.store_finished(job, raw, finishing, cache.blobs.keep(finished), [])
        assert job.target.read_bytes() == f"%PDF raw finished {epoch}".encode()

    epochs = [None, 1_795_000_000, 1_700_000_000, None, 1_795_000_000, 1_700_000_000]
    for epoch in epochs:
        finish(cache, epoch)
    assert finished_for == epochs[:3]
    cache.save()
    again = handouts.PrintCache(tmp_path / "cache", settings="test")  # the next build
    for epoch in epochs[:3]:
        finish(again, epoch)
    assert finished_for == epochs[:3]
    for epoch in range(1, handouts.FINISHED_VARIANTS + 1):  # more dates than it keeps: the oldest goes
        finish(again, epoch)
    finish(again, None)
    assert finished_for[-1] is None and len(finished_for) == 3 + handouts.FINISHED_VARIANTS + 1


def test_what_never_reaches_paper_is_left_out_of_the_print_key(built_site):
    from careleaf.outputs.handouts import printed_part

    html = (built_site / page_path("es", "finger-dislocation")).read_text(encoding="utf-8")
    key = printed_part(html.encode("utf-8"))
    # A new article in the navigation (and as the next page), another search label: nothing prints again.
    navigation = html.replace(
        '<ul class="md-nav__list" data-md-scrollfix>',
        '<ul class="md-nav__list" data-md-scrollfix><li class="md-nav__item"><a class="md-nav__link" href="../n/">N</a>',
        1,
    ).replace('<link rel="next" href="../broken-finger-closed/">', '<link rel="next" href="../n/">')
    search = re.sub(r'(<input type="text" class="md-search__input"[^>]*placeholder=")[^"]*', r"\1Buscar", html)
    for unprinted in (navigation, search):
        assert unprinted != html and printed_part(unprinted.encode("utf-8")) == key
    # The article's words, its language, a stylesheet: each prints again.
    article = '<article class="md-content__inner md-typeset">'
    header = re.search(r'<header class="md-header[^>]*>', html)[0]
    for printed in (
        html.replace(article, f"{article}<p>Nuevo.</p>", 1),
        html.replace(header, f"{header}<script>document.title = 'x'</script>", 1),  # runs wherever it sits
        html.replace('<html lang="es"', '<html lang="pt"', 1),
        html.replace("careleaf.css", "careleaf-2.css", 1),
    ):
        assert printed != html and printed_part(printed.encode("utf-8")) != key


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_nothing_left_out_of_the_print_key_is_drawn_on_paper(built_site, browser, lang):
    from careleaf.outputs.handouts import NOT_PRINTED

    page = browser.new_page()
    page.emulate_media(media="print")
    page.goto((built_site / page_path(lang, "muscle-spasm")).as_uri())
    in_body = [selector for selector in NOT_PRINTED if not selector.startswith("head")]
    drawn = page.evaluate(
        "(selectors) => selectors.flatMap(selector => [...document.querySelectorAll(selector)]"
        ".filter(element => element.checkVisibility()).map(() => selector))",
        in_body,
    )
    found = page.evaluate("(selectors) => selectors.filter(s => document.querySelector(s))", in_body)
    page.close()
    assert drawn == []
    assert {".md-header", ".md-sidebar", ".md-footer"} <= set(found)  # the check saw the chrome it leaves out


def test_shards_print_a_library_between_them_and_the_build_then_only_assembles(tmp_path):
    # Two machines each print one share into their own print cache; the caches, copied into one,
    # give the publishing build every handout without printing one.
    project = keep_languages(copy_project(tmp_path / "project"), ("en",))
    printed = {}
    for share in ("1/2", "2/2"):
        cache = tmp_path / f"cache-{share[0]}"
        result = run_careleaf(["handouts", "--shard", share], cwd=project, CARELEAF_HANDOUT_CACHE=str(cache))
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"Printed share {share} of the handouts; published nothing" in result.stdout
        printed[share] = printed_jobs(result.stdout)
    assert printed["1/2"] and printed["2/2"] and not printed["1/2"] & printed["2/2"]
    merged = tmp_path / "cache"
    for share in "12":
        shutil.copytree(tmp_path / f"cache-{share}", merged, dirs_exist_ok=True)
    result = mkdocs_build(project, tmp_path / "site", CARELEAF_HANDOUT_CACHE=str(merged))
    assert result.returncode == 0, result.stderr
    everything = len(printed["1/2"]) + len(printed["2/2"])
    assert printed_jobs(result.stderr) == set()
    assert f"{everything} PDFs in " in result.stderr and " 0 printed " in result.stderr
    assert len(list((tmp_path / "site" / "handouts").rglob("*.pdf"))) == everything


@pytest.mark.parametrize("share", ["0/2", "3/2", "1/0", "half"])
def test_a_share_that_is_not_k_of_n_is_refused_in_one_line(small_tree, share):
    result = run_careleaf(["handouts", "--shard", share], cwd=small_tree)  # the command line
    assert result.returncode == 2
    assert f"'{share}' is not a share K/N" in result.stderr and "Traceback" not in result.stderr
    edit(small_tree / "mkdocs.yml", CARELEAF_SETTINGS, CARELEAF_SETTINGS + SHARD_SETTING)
    result = run_careleaf(["validate"], cwd=small_tree, CARELEAF_HANDOUT_SHARD=share)  # the setting
    assert result.returncode == 2
    assert f"'{share}' is not a share K/N" in result.stderr and "Traceback" not in result.stderr


def test_a_share_set_outside_careleaf_handouts_publishes_nothing_half_done(tmp_path):
    # A CI job's environment kept CARELEAF_HANDOUT_SHARD: the publishing build stops, the site stays as it was.
    project = keep_languages(copy_project(tmp_path / "project"), ("en", "es"))
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the site as published before", encoding="utf-8")
    result = mkdocs_build(project, site, CARELEAF_HANDOUT_SHARD="1/2")
    assert result.returncode == 1
    assert "only `careleaf handouts --shard 1/2` prints a share" in result.stderr
    assert [path.name for path in site.iterdir()] == ["index.html"]
    # Without the line that reads it, the variable is nothing: `careleaf handouts --shard` says what is missing.
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(SHARD_SETTING.split("\n")[1] + "\n", ""), "utf-8")
    result = run_careleaf(["handouts", "--shard", "1/2"], cwd=project)
    assert result.returncode == 2 and "handouts need `shard: !ENV [CARELEAF_HANDOUT_SHARD" in result.stderr


def test_a_damaged_pdf_in_the_print_cache_is_printed_again_not_published(tmp_path):
    # A cache copied between machines can arrive cut short: checked against its SHA-256, dropped, missed.
    from careleaf.outputs import accessible_pdf

    job, cache, raw = one_printed_page(tmp_path, b"%PDF raw print")
    finishing = accessible_pdf.Finishing("A", "en", None, tmp_path / "site", "https://x.example/", ("A",))
    cache.store_finished(job, raw, finishing, cache.blobs.keep(b"%PDF finished"), [])
    entry = cache.printed(job, tmp_path / "site")
    assert entry is not None and cache.copy_finished(job, entry, finishing) == []
    finished = next(path for path in (tmp_path / "cache" / "blobs").iterdir() if path.read_bytes() == b"%PDF finished")
    finished.write_bytes(b"%PDF fini")  # cut short
    assert cache.copy_finished(job, entry, finishing) is None and not finished.exists()
    cache.blobs.path(raw).write_bytes(b"%PDF raw")
    assert cache.printed(job, tmp_path / "site") is None and not cache.blobs.path(raw).exists()
