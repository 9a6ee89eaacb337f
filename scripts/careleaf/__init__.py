"""Careleaf: a multilingual patient-education library built with MkDocs.

The content model (`careleaf.model.content`) is the one way every part of Careleaf reads
articles: the MkDocs plugin, the validator, print and the kiosk all go through it.
"""
