"""The site navigation: the home page, then one section per category, articles by title.

With Material's navigation.prune, a page then carries its own category's entries only, so a
page's size no longer grows with the whole library.
"""

from __future__ import annotations

from collections.abc import Callable

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page


def categorized(nav: Navigation, source_of: Callable, category_name: Callable[[str], str]) -> Navigation:
    """Rebuild `nav` as home + category sections; pages the content model does not know keep their place."""
    home: list[Page] = []
    groups: dict[str, list[tuple[str, Page]]] = {}
    others: list[Page] = []
    for page in nav.pages:
        source = source_of(page)
        if source is None:
            others.append(page)
        elif source.is_home:
            home.append(page)
        else:
            groups.setdefault(source.category or "", []).append((source.title.casefold(), page))
    sections: list[Section] = []
    sectioned: list[Page] = []
    for key in sorted(groups, key=lambda key: category_name(key).casefold()):
        children = [page for _, page in sorted(groups[key], key=lambda pair: pair[0])]
        # A list of StructureItem, as Section declares it (a list of pages is not one: lists are invariant).
        section = Section(title=category_name(key), children=list(children))
        for child in children:
            child.parent = section
        sections.append(section)
        sectioned.extend(children)
    for page in [*home, *others]:
        page.parent = None
    nav.items = [*home, *sections, *others]
    nav.pages = [*home, *sectioned, *others]
    for previous, current in zip([None, *nav.pages], nav.pages, strict=False):
        current.previous_page = previous
        if previous is not None:
            previous.next_page = current
    if nav.pages:
        nav.pages[-1].next_page = None
    return nav
