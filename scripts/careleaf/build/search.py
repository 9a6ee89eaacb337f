"""Search in the reader's language: one search index per language instead of static-i18n's merged one.

Material's search fetches `search/search_index.json` below the page's `base`; Careleaf gives
each language's pages its own base (`<lang>/`) and writes that language's entries there.
"""

from __future__ import annotations

import json
from pathlib import Path

from careleaf.model.languages import site_folder

INDEX = Path("search") / "search_index.json"
# Material's offline mode reads the index from a script, because file:// cannot fetch JSON.
OFFLINE_INDEX = Path("search") / "search_index.js"


def split_index(site_dir: Path, languages: tuple[str, ...], default_language: str, offline: bool) -> dict[str, int]:
    """Rewrite the merged index as one index per language; returns entries per language."""
    merged_path = site_dir / INDEX
    if not merged_path.is_file():
        return {}
    merged = json.loads(merged_path.read_text(encoding="utf-8"))
    others = tuple(site_folder(lang, default_language) for lang in languages if lang != default_language)
    counts = {}
    for lang in languages:
        prefix = site_folder(lang, default_language)
        if prefix:
            docs = [
                dict(doc, location=doc["location"][len(prefix) :])
                for doc in merged["docs"]
                if doc["location"].startswith(prefix)
            ]
        else:
            docs = [doc for doc in merged["docs"] if not doc["location"].startswith(others)]
        index = {"config": dict(merged["config"], lang=_lunr_languages(lang)), "docs": docs}
        target = site_dir / prefix / INDEX
        target.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        target.write_text(data, encoding="utf-8")
        if offline:
            (site_dir / prefix / OFFLINE_INDEX).write_text(f"var __index = {data}", encoding="utf-8")
        counts[lang] = len(docs)
    return counts


def _lunr_languages(lang: str) -> list[str]:
    """Stemming and stop words for the index's own language (Chinese is segmented by jieba at build)."""
    return ["en"] if lang == "zh" else [lang]
