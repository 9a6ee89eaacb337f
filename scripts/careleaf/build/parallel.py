"""Build a static-i18n site's languages in parallel processes, with the sequential build's output.

mkdocs-static-i18n builds the default language, then each other language in turn inside the
default build's post-build. Here worker processes, forked while the default language starts,
build the other languages at the same time, each into its own staging directory. When the
default language is done, the parent moves the staging trees into the site in build order
(a later language overwrites a shared root file, as it would in a sequential build) and hands
static-i18n the search entries and sitemap data it would have gathered itself.

Only the build command forks (`mkdocs serve` stays sequential); the careleaf plugin's `build: {jobs: 1}` turns it off.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from careleaf.build.publish import LANGUAGES, OwnedFolder
from careleaf.util import upstream
from careleaf.util.processes import ProcessError

RESULT_FILE = "result.pickle"
SITE_FOLDER = "site"


class LanguageBuildError(ProcessError):
    """A language's build in a forked process failed."""


@dataclass
class LanguageResult:
    lang: str
    site: Path
    # The language's search entries, as static-i18n would have collected them.
    search_entries: list[dict]
    # The language's pages for the sitemap (picklable stand-ins for MkDocs' File objects).
    sitemap_files: list[SimpleNamespace]


class ParallelLanguages:
    """Worker processes building `languages` (static-i18n's build order) from a forked config."""

    def __init__(self, config, languages: list[str], jobs: int):
        self.languages = list(languages)
        self._owner = os.getpid()
        # Named after this process and locked: the next build removes it only if this one was killed.
        self._folder = OwnedFolder(Path(config.site_dir).resolve().parent, LANGUAGES)
        self.work = self._folder.path
        context = multiprocessing.get_context("fork")
        self._next = context.Value("i", 0)
        self._done = context.SimpleQueue()
        self._workers = [
            context.Process(target=self._work, args=(config,), name=f"careleaf-language-{number}", daemon=True)
            for number in range(max(1, min(jobs, len(self.languages))))
        ]
        try:
            for worker in self._workers:
                worker.start()
        except BaseException:
            self.stop()
            raise

    @property
    def workers(self) -> int:
        return len(self._workers)

    # -- in the workers ------------------------------------------------------

    def _work(self, config) -> None:
        while True:
            with self._next.get_lock():
                index = self._next.value
                self._next.value += 1
            if index >= len(self.languages):
                return
            lang = self.languages[index]
            try:
                self._build(config, lang)
                self._done.put((lang, None))
            except BaseException as error:  # every failure must reach the parent, named
                detail = str(error) or traceback.format_exc(limit=5)
                self._done.put((lang, f"{type(error).__name__}: {detail}"))
                return

    def _build(self, config, lang: str) -> None:
        i18n = upstream.i18n_plugin(config)
        folder = self.work / lang
        before = len(i18n.search_entries)
        i18n.current_language = lang
        # static-i18n's own flag for "a language built from inside the default one": no nested loop.
        i18n.building = True
        config.site_dir = str(folder / SITE_FOLDER)
        from mkdocs.commands.build import build  # only a language worker builds

        build(config)
        result = LanguageResult(
            lang=lang,
            site=folder / SITE_FOLDER,
            search_entries=list(i18n.search_entries[before:]),
            sitemap_files=[sitemap_stand_in(file) for file in i18n.i18n_files_per_language.get(lang, [])],
        )
        with (folder / RESULT_FILE).open("wb") as handle:
            pickle.dump(result, handle)

    # -- in the parent -------------------------------------------------------

    def collect(self) -> list[LanguageResult]:
        """Wait for every language; results in build order. Raises if any language failed."""
        finished: dict[str, str | None] = {}
        while len(finished) < len(self.languages):
            if not self._done.empty():
                lang, error = self._done.get()
                finished[lang] = error
                if error is not None:
                    self.stop()
                    raise LanguageBuildError(f"building language '{lang}' failed: {error}")
                continue
            if all(not worker.is_alive() for worker in self._workers) and self._done.empty():
                missing = [lang for lang in self.languages if lang not in finished]
                codes = [worker.exitcode for worker in self._workers]
                self.stop()
                raise LanguageBuildError(f"worker processes ended (exit codes {codes}) before building {missing}")
            time.sleep(0.02)
        for worker in self._workers:
            worker.join()
        results = []
        for lang in self.languages:
            with (self.work / lang / RESULT_FILE).open("rb") as handle:
                results.append(pickle.load(handle))
        return results

    def merge_into(self, site_dir: Path, results: list[LanguageResult]) -> None:
        """Move each language's output into the site, in build order (later files win)."""
        for result in results:
            for source in sorted(path for path in result.site.rglob("*") if not path.is_dir()):
                target = site_dir / source.relative_to(result.site)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)

    def stop(self) -> None:
        """End the workers and remove the staging directories (after success or failure)."""
        if os.getpid() != self._owner:  # a worker's copy of this object: the parent cleans up
            return
        for worker in self._workers:
            if worker.pid is None:  # never started
                continue
            if worker.is_alive():
                worker.terminate()
            worker.join()
        self._folder.remove()


def sitemap_stand_in(file: Any) -> SimpleNamespace:
    """What overrides/sitemap.xml reads of a File: url, page (is_link, canonical_url, update_date), alternates."""
    page = file.page
    return SimpleNamespace(
        url=file.url,
        page=None
        if page is None
        else SimpleNamespace(is_link=page.is_link, canonical_url=page.canonical_url, update_date=page.update_date),
        alternates={
            locale: SimpleNamespace(url=alternate.url) for locale, alternate in upstream.alternates(file).items()
        },
    )
