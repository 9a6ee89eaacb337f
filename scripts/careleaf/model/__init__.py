"""The content model and what it is read from: articles, shared blocks, locales, glossaries, codes, settings."""
