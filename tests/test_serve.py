"""`mkdocs serve` as an editor uses it: a change to a locale catalogue shows without a restart, and a
broken one is reported and then recovered from once fixed."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.request

from careleaf.qa import bench

HEADING = "Related articles"


def test_serve_rebuilds_on_a_locale_change_and_recovers_from_a_broken_one(tmp_path):
    library = bench.generate(tmp_path / "library", articles=2, languages=2)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=library,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in server.stderr], daemon=True).start()

    def wait_for(text: str) -> str:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                assert server.poll() is None, "mkdocs serve stopped"
                continue
            if text in line:
                return line
        raise AssertionError(f"mkdocs serve never said {text!r}")

    def article_page() -> str:
        slug = sorted((library / "docs" / "en").glob("condition-*.md"))[0].stem
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{slug}/") as response:
            return response.read().decode("utf-8")

    catalogue = library / "locales" / "en.yml"
    original = catalogue.read_text(encoding="utf-8")
    try:
        wait_for("Serving on")
        assert HEADING in article_page()
        time.sleep(1.5)  # let the watcher settle
        catalogue.write_text(original.replace(HEADING, "Read next"), encoding="utf-8")
        wait_for("Reloading browsers")
        assert "Read next" in article_page() and HEADING not in article_page()
        time.sleep(1.5)
        catalogue.write_text(original.replace("related:\n", "related: [\n", 1), encoding="utf-8")  # broken YAML
        assert "locales/en.yml" in wait_for("locales/en.yml")
        time.sleep(1.5)
        catalogue.write_text(original, encoding="utf-8")
        wait_for("Reloading browsers")
        assert HEADING in article_page()
    finally:
        server.terminate()
        server.wait(timeout=30)
