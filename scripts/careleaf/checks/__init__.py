"""Checks on the library: the validator, clinical safety, reading level, safe markup, the publishing gate."""
