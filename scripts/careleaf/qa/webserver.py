"""The built site served over loopback the way a hospital's web server serves it.

    python -m careleaf.qa.webserver PORT DIRECTORY

What an audit or a browser test measures depends on it: text is gzip-compressed (every production
server does it; Lighthouse's timings follow the bytes sent), a folder answers with its index.html,
and a missing page answers 404 with the site's own 404 page in the reader's language.
"""

from __future__ import annotations

import gzip
import http.server
import io
import sys
from functools import partial
from pathlib import Path

COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002 - http.server's signature
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        folder_url = self.path.split("?")[0].endswith("/")
        if path.is_dir():
            if not folder_url:
                return super().send_head()  # the redirect to the folder's URL with a slash
            path = path / "index.html"
        elif folder_url:
            path = path / "index.html"  # a file's name with a slash after it names nothing
        status = 200
        if not path.is_file():
            status, path = 404, self._not_found_page(path)
            if path is None:
                self.send_error(404)
                return None
        body = path.read_bytes()
        content_type = self.guess_type(str(path))
        self.send_response(status)
        if content_type.startswith(COMPRESSED_TYPES) and accepts_gzip(self.headers.get("Accept-Encoding", "")):
            body = gzip.compress(body, compresslevel=6, mtime=0)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def _not_found_page(self, missing: Path) -> Path | None:
        """The 404 page of the top folder (a language's) the missing path is in, else the site's own."""
        root = Path(self.directory).resolve()
        parts = missing.resolve().relative_to(root).parts if missing.resolve().is_relative_to(root) else ()
        for page in ([root / parts[0] / "404.html"] if len(parts) > 1 else []) + [root / "404.html"]:
            if page.is_file():
                return page
        return None


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether the client takes gzip (listed, and not with q=0)."""
    for coding in accept_encoding.split(","):
        name, *parameters = [part.strip() for part in coding.split(";")]
        if name.lower() == "gzip":
            weights = [
                parameter.replace(" ", "")[2:]
                for parameter in parameters
                if parameter.replace(" ", "").startswith("q=")
            ]
            return not weights or weights[0] not in ("0", "0.0", "0.00", "0.000")
    return False


def serve(port: int, directory: Path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(SiteHandler, directory=str(directory)))
    server.serve_forever()


if __name__ == "__main__":
    serve(int(sys.argv[1]), Path(sys.argv[2]))
