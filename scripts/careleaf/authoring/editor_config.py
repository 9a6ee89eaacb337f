"""The browser editor's configuration (Decap CMS's config.yml), made from the library as it is now.

Nobody writes it: languages come from mkdocs.yml, categories and the words staff see from
locales/en.yml (`editor:`, and the red-flag tiers as the hospital words them, numbers filled in),
related articles from the English articles, shared signs from the English shared blocks. Started
again, `careleaf editor` offers a language, category, article or block added since.
"""

from __future__ import annotations

from typing import Any

from careleaf.authoring.editor_form import SHARED, SIGN
from careleaf.model.content import TIER_KINDS, Library
from careleaf.model.locales import EDITOR_SECTION, Catalogue, load_all, placeholder_values
from careleaf.model.project import Project

# Sign-off, asked in the form and recorded in the page as the commands record it; never a front matter key.
APPROVE_AS = "approve_as"  # an English page: the clinician approving it as saved (careleaf approve)
MARK_CURRENT = "mark_current"  # a translation: current with the English as it is now (careleaf mark-current)
REVIEWED_BY = "translation_reviewed_by"  # a translation: its reviewer (careleaf mark-current --reviewer)
NOTES = "careleaf_notes"  # what the editor's server tells a writer about a page as it opens (read-only)
COLLECTION = "articles"  # the collection's name: the editorial workflow's branches are cms/articles/<slug>


def decap_config(project: Project, library: Library, api_url: str, branch: str) -> dict[str, Any]:
    """Decap CMS's configuration for this library, its local repository behind `api_url`."""
    catalogue = load_all(project)[project.default_language]
    words = _words(project, catalogue)
    categories = [
        {"label": text, "value": key.removeprefix("categories.")}
        for key, text in catalogue.strings.items()
        if key.startswith("categories.")
    ]
    articles = [{"label": page.title, "value": page.slug} for page in library.articles(project.default_language)]
    blocks = [
        {"label": f"{name}: {_first_words(library, name, project.default_language)}", "value": name}
        for name in library.block_names(project.default_language)
    ]
    return {
        # The editor runs only against this machine's repository (careleaf editor's own server).
        "backend": {"name": "git-gateway", "branch": branch},
        "local_backend": {"url": api_url, "allowed_hosts": ["127.0.0.1"]},
        "publish_mode": "editorial_workflow",
        "media_folder": "docs/assets/images",
        "public_folder": "/assets/images",
        "locale": "en",
        "i18n": {
            "structure": "multiple_folders",
            "locales": list(project.languages),
            "default_locale": project.default_language,
        },
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            {
                "name": COLLECTION,
                "label": words["articles"],
                "label_singular": words["article"],
                "folder": project.docs_dir.relative_to(project.root).as_posix(),
                # The editor's server reads each page into the form's values (JSON) and writes Markdown back.
                "format": "json",
                "extension": "md",
                "create": True,
                "delete": False,
                "identifier_field": "title",
                "summary": "{{title}} ({{slug}})",
                "i18n": True,
                "fields": [
                    _field(NOTES, words, "careleaf-notes", i18n=True, required=False),
                    _field("title", words, "string", i18n=True),
                    _field("summary", words, "text", i18n=True),
                    _field("category", words, "select", i18n="duplicate", options=categories),
                    _field("related", words, "select", i18n="duplicate", multiple=True, options=articles),
                    _field("reviewed", words, "datetime", i18n="duplicate", **_DATE),
                    _field("review_due", words, "datetime", i18n="duplicate", **_DATE),
                    _field("body", words, "text", i18n=True),
                    {
                        "name": "red_flags",
                        "label": words["red_flags"],
                        "widget": "object",
                        "i18n": True,
                        "collapsed": False,
                        "fields": [
                            {"name": "heading", "label": words["red_flags_heading"], "widget": "hidden", "i18n": True},
                            *(_tier(kind, words, blocks) for kind in TIER_KINDS),
                        ],
                    },
                    _field("after", words, "text", i18n=True, required=False),
                    _field(APPROVE_AS, words, "string", required=False),
                    _field(MARK_CURRENT, words, "boolean", i18n=True, required=False, default=False),
                    _field(REVIEWED_BY, words, "string", i18n=True, required=False),
                ],
            }
        ],
    }


# A date and nothing else, as the front matter writes it (2027-11-21).
_DATE = {"format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False, "picker_utc": True}


def _words(project: Project, catalogue: Catalogue) -> dict[str, str]:
    prefix = EDITOR_SECTION + "."
    words = {key.removeprefix(prefix): text for key, text in catalogue.strings.items() if key.startswith(prefix)}
    values = placeholder_values(project.hospital)
    for kind in TIER_KINDS:
        words[kind] = catalogue.text(f"red_flags.{kind}.heading", **values)
    return words


def _field(name: str, words: dict[str, str], widget: str, **options: Any) -> dict[str, Any]:
    field = {"name": name, "label": words[name], "widget": widget, **options}
    if f"{name}_hint" in words:
        field["hint"] = words[f"{name}_hint"]
    return field


def _first_words(library: Library, name: str, lang: str) -> str:
    """A shared block's first line, as a chooser shows it: "fever-sign: you have a fever of 100.4°F"."""
    text = next((line.strip() for line in library.blocks[(name, lang)].body.split("\n") if line.strip()), "")
    return text.removeprefix("- ")[:80]


def _tier(kind: str, words: dict[str, str], blocks: list[dict[str, str]]) -> dict[str, Any]:
    """One tier: a list of signs, each written here or a shared block chosen by name. Nothing is
    required here: the editor's server refuses what the validator refuses, in the validator's words."""
    return {
        "name": kind,
        "label": words[kind],
        "widget": "list",
        "required": False,
        "i18n": True,
        "collapsed": False,
        "add_to_top": False,
        "types": [
            {
                "name": SIGN,
                "label": words["sign"],
                "widget": "object",
                "summary": "{{fields.text}}",
                "fields": [{"name": "text", "label": words["sign"], "widget": "string", "required": False}],
            },
            {
                "name": SHARED,
                "label": words["shared_sign"],
                "widget": "object",
                "summary": "{{fields.block}}",
                "fields": [{"name": "block", "label": words["shared_sign"], "widget": "select", "options": blocks}],
            },
        ],
    }
