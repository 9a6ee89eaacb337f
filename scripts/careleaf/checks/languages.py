"""Checks across languages: every article translated, file names, the locale catalogues and the glossaries."""

from __future__ import annotations

import re
import unicodedata

from careleaf.checks.problems import Gate, Problem
from careleaf.model import glossary, markup
from careleaf.model.content import HOME_SLUG, PENDING, SLUG, TRANSLATIONS_KEY, Library
from careleaf.model.locales import OPTIONAL_SECTIONS, THEME_KEYS, THEME_SECTION, Catalogue, placeholders
from careleaf.model.project import Project
from careleaf.model.reading import shown
from careleaf.util import upstream


def check_coverage(project: Project, library: Library) -> list[Problem]:
    problems = []
    slugs = set(library.slugs) | {HOME_SLUG}
    for slug in sorted(slugs):
        source = library.source(slug)
        if source is None:
            problems.append(
                Problem(
                    project.relative(project.docs_dir / project.default_language / f"{slug}.md"),
                    1,
                    project.default_language,
                    slug,
                    "translation-missing",
                    "the home page is missing in the source language",
                )
            )
            continue
        for lang in project.translations:
            if library.get(slug, lang) is not None:
                continue
            path = project.relative(project.docs_dir / lang / f"{slug}.md")
            why = library.declared_unfinished(slug, lang)
            if why:
                problems.append(
                    Problem(
                        path,
                        1,
                        lang,
                        slug,
                        "translation-missing",
                        f"no '{lang}' translation yet ({why}): readers get the English page with a notice",
                        Gate.DECLARED,
                    )
                )
            else:
                # The English fallback still carries the whole card, so the page may build; it may not publish.
                problems.append(
                    Problem(
                        path,
                        1,
                        lang,
                        slug,
                        "translation-missing",
                        f"no '{lang}' translation: every article needs its red-flag card in every "
                        f"language (while '{lang}' is being translated, list it in the careleaf plugin's "
                        f"languages_in_progress in mkdocs.yml; while this article's translations are being "
                        f"made, put '{TRANSLATIONS_KEY}: {PENDING}' in its English front matter)",
                        Gate.FAILS_STRICT,
                    )
                )
    for (slug, lang), page in sorted(library.pages.items()):
        if lang != project.default_language and slug not in slugs:
            problems.append(
                Problem(
                    project.relative(page.path),
                    1,
                    lang,
                    slug,
                    "translation-orphan",
                    f"no English source '{project.default_language}/{slug}.md' for this translation",
                )
            )
    return problems


def check_file_names(project: Project, library: Library) -> list[Problem]:
    problems = []
    for path in library.misnamed:
        *folders, name = path.relative_to(project.docs_dir).parts
        first = 1 if folders and folders[0] in project.languages else 0
        bad = next((folder for folder in folders[first:] if not SLUG.match(folder)), name)
        problems.append(
            Problem(
                project.relative(path),
                1,
                None,
                None,
                "file-name",
                f"'{bad}' is not a valid name: use lowercase letters a-z, digits and hyphens "
                f"(e.g. '{suggested_name(bad)}'); every file under docs/ becomes a web address",
            )
        )
    return problems


def suggested_name(name: str) -> str:
    stem, dot, suffix = name.rpartition(".") if "." in name.strip(".") else (name, "", "")
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_stem).strip("-") or "article"
    return f"{slug}.{re.sub(r'[^a-z0-9]+', '', suffix.lower())}" if dot else slug


def check_locales(project: Project, catalogues: dict[str, Catalogue]) -> list[Problem]:
    problems = []
    source = catalogues[project.default_language]
    source_path = project.relative(source.path)
    translations = [catalogue for catalogue in catalogues.values() if catalogue is not source]
    for catalogue in catalogues.values():
        path = project.relative(catalogue.path)
        problems += [
            Problem(path, line, catalogue.lang, None, code, message) for code, line, message in catalogue.read_errors
        ]
        problems += [
            Problem(path, line, catalogue.lang, None, code, message)
            for code, line, message in catalogue.entry_errors.values()
        ]
        for key, text in catalogue.strings.items():
            problems += [
                Problem(
                    path,
                    catalogue.key_lines.get(key, 1),
                    catalogue.lang,
                    None,
                    unsafe.code,
                    f"{shown(key)}: {unsafe.message}",
                )
                for unsafe in markup.plain_text_problems(text)
            ]
    if source.read_errors:
        return problems
    # A key every translation has but English lost: templates would meet it missing.
    readable = [catalogue for catalogue in translations if not catalogue.read_errors]
    lost = set.intersection(*(set(catalogue.strings) for catalogue in readable)) if readable else set()
    lost -= source.strings.keys() | source.entry_errors.keys()
    lost = {key for key in lost if not key.startswith(OPTIONAL_PREFIXES)}  # each language's own, as it needs
    for key in sorted(lost):
        problems.append(
            Problem(
                source_path,
                1,
                source.lang,
                None,
                "locale-missing-key",
                f"missing key {shown(key)}, which every translation has",
            )
        )
    for catalogue in readable:
        path = project.relative(catalogue.path)
        for key, text in source.strings.items():
            if key in catalogue.entry_errors or key.startswith(OPTIONAL_PREFIXES):
                continue
            if key not in catalogue.strings:
                problems.append(
                    Problem(
                        path,
                        1,
                        catalogue.lang,
                        None,
                        "locale-missing-key",
                        f"missing key {shown(key)} ({source_path}: {shown(text)})",
                    )
                )
            elif placeholders(catalogue.strings[key]) != placeholders(text):
                problems.append(
                    Problem(
                        path,
                        catalogue.key_lines.get(key, 1),
                        catalogue.lang,
                        None,
                        "locale-placeholder",
                        f"{shown(key)} must use the placeholders {sorted(placeholders(text))}, "
                        f"not {sorted(placeholders(catalogue.strings[key]))}",
                    )
                )
            elif not catalogue.strings[key].strip():
                problems.append(
                    Problem(
                        path,
                        catalogue.key_lines.get(key, 1),
                        catalogue.lang,
                        None,
                        "locale-empty",
                        f"{shown(key)} is empty",
                    )
                )
        known = source.strings.keys() | source.entry_errors.keys() | lost | {THEME_PREFIX + key for key in THEME_KEYS}
        for key in sorted(catalogue.strings.keys() - known):
            problems.append(
                Problem(
                    path,
                    catalogue.key_lines.get(key, 1),
                    catalogue.lang,
                    None,
                    "locale-unknown-key",
                    f"key {shown(key)} is not in the English catalogue"
                    + (" nor one of Material's interface keys Careleaf shows" if key.startswith(THEME_PREFIX) else ""),
                    Gate.ADVISORY,
                )
            )
    for catalogue in catalogues.values():
        if not catalogue.read_errors:
            problems += _missing_interface(project, catalogue)
    return problems


THEME_PREFIX = THEME_SECTION + "."
OPTIONAL_PREFIXES = tuple(section + "." for section in OPTIONAL_SECTIONS)


def _missing_interface(project: Project, catalogue: Catalogue) -> list[Problem]:
    """Interface strings the pages would show in English: neither the catalogue's `theme:` section
    nor Material's translation of its interface (if it has one for the language) gives them."""
    english = upstream.material_interface("en", THEME_KEYS) or {}
    material = upstream.material_interface(catalogue.lang, THEME_KEYS)
    own = catalogue.theme
    missing = [key for key in THEME_KEYS if not own.get(key, "").strip() and not (material or {}).get(key)]
    why = (
        f"Material has no interface in '{catalogue.lang}'"
        if material is None
        else f"Material's '{catalogue.lang}' interface lacks it"
    )
    return [
        Problem(
            project.relative(catalogue.path),
            catalogue.key_lines.get(THEME_SECTION, 1),
            catalogue.lang,
            None,
            "locale-missing-interface",
            f"missing {THEME_SECTION}: {shown(key)} ({why}): pages show the English {shown(english.get(key, key))}",
            Gate.ADVISORY,
        )
        for key in missing
    ]


def check_glossaries(project: Project, library: Library) -> list[Problem]:
    """Every glossary term is defined in every language, and appears in that language's articles."""
    problems = []
    source = glossary.load(project, project.default_language)
    for lang in project.languages:
        current = source if lang == project.default_language else glossary.load(project, lang)
        path = project.relative(current.path)
        if current.read_error:
            problems.append(Problem(path, current.read_error_line, lang, None, "glossary-missing", current.read_error))
            continue
        problems += [
            Problem(path, line, lang, None, code, message) for code, line, message in current.entry_errors.values()
        ]
        text = " ".join(page.body for page in library.articles(lang))
        awaited = [
            english
            for english in library.articles(project.default_language)
            if library.get(english.slug, lang) is None and library.declared_unfinished(english.slug, lang)
        ]
        for key in source.terms:
            if key in current.entry_errors:
                continue
            entry = current.terms.get(key)
            if entry is None:
                problems.append(
                    Problem(
                        path,
                        1,
                        lang,
                        None,
                        "glossary-missing-term",
                        f"{shown(key)} needs a term and a definition in '{lang}'",
                    )
                )
                continue
            for field_name in ("term", "definition"):
                problems += [
                    Problem(
                        path,
                        current.key_lines.get(key, 1),
                        lang,
                        None,
                        unsafe.code,
                        f"{shown(f'{key}.{field_name}')}: {unsafe.message}",
                    )
                    for unsafe in markup.plain_text_problems(entry[field_name])
                ]
            unused = [form for form in [entry["term"], *entry["forms"]] if form not in text]
            if unused:
                english = source.terms[key]
                forms = [english["term"], *english["forms"]]
                # The term waits only when the English uses it in no article translated yet, and in one
                # whose translation is declared missing for now.
                translated = [page for page in library.articles(project.default_language) if page not in awaited]
                waiting = [
                    page.slug
                    for page in awaited
                    if any(form in page.body for form in forms)
                    and not any(form in other.body for other in translated for form in forms)
                ]
                problems.append(
                    Problem(
                        path,
                        current.key_lines.get(key, 1),
                        lang,
                        None,
                        "glossary-unused",
                        f"{shown(key)}: {', '.join(unused)} does not occur in the '{lang}' articles"
                        + (f" (yet: {', '.join(waiting)} not translated)" if waiting else ""),
                        Gate.DECLARED if waiting else Gate.ADVISORY,
                    )
                )
    return problems
