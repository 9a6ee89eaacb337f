"""Print support computed at build time: the QR code that opens a handout's online version."""

from __future__ import annotations

from pathlib import Path

import segno


def qr_file_name(page_dest_uri: str) -> str:
    """The QR code's file, beside its page and named after it (offline builds put many pages in one folder)."""
    return f"{Path(page_dest_uri).stem}.qr.svg"


def write_qr_svg(address: str, path: Path) -> None:
    """An SVG QR code for `address`, made locally (segno): no outside service is asked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A fixed mask skips segno's search for the best one (most of its time); any mask is valid QR.
    segno.make(address, error="m", mask=4).save(str(path), kind="svg", scale=4, border=2, dark="#000000", xmldecl=False)
