"""Tools for the people who write and translate: a new article, a translation marked current."""
