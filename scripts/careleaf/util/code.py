"""Where Careleaf's own code is: for child processes that must import it, and tools installed beside it."""

from pathlib import Path

# scripts/: the folder holding the careleaf package (a child process puts it on PYTHONPATH).
CARELEAF_CODE = Path(__file__).resolve().parents[2]
# The checkout the code runs from: node_modules/ and mkdocs.yml sit here.
CHECKOUT = CARELEAF_CODE.parent
