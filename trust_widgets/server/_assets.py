"""Static files on the wire: compressed once and kept, and cached for good when versioned.

Voilà's pages load a few megabytes of JavaScript, served as they are on disk and revalidated
on every page. Here the same handlers, by subclassing:

- **gzip**, made once per file and kept in memory (a room of new devices would otherwise
  compress the same megabytes once each, on the cores their pages need). Only text-like
  files, only when the browser says it accepts gzip, never for a ``Range`` request.
- **long caching** for files whose address names their content (``?v=<hash>``, or a
  webpack chunk with its hash in the name): ``immutable`` for a year. Other files keep
  their handler's revalidation.

Tornado's ``compress_response`` would compress every response, pages included, again for
every request; pages are small and carry the page's tokens, so they are left as they are.
"""

from __future__ import annotations

import functools
import gzip
import os
import re

from jupyter_server.base.handlers import FileFindHandler
from tornado import web
from voila.static_file_handler import MultiStaticFileHandler, TemplateStaticFileHandler

COMPRESSIBLE = frozenset({".js", ".mjs", ".css", ".json", ".svg", ".html", ".map", ".txt",
                          ".wasm", ".ttf", ".eot", ".otf"})  # fmt: skip
MIN_BYTES = 1024  # below this, gzip's header costs more than it saves
# Webpack's chunk names: ``651.d9c6fa52270ea21fdf9e.js``, ``remoteEntry.1dda3c8f.js``.
_HASHED_NAME = re.compile(r"\.[0-9a-f]{8,}\.(?:js|css)$")
IMMUTABLE = "public, max-age=31536000, immutable"


@functools.lru_cache(maxsize=2048)
def gzipped(path: str, mtime_ns: int, size: int) -> bytes:
    """Return the file at ``path`` compressed (cached by path, time and size)."""
    with open(path, "rb") as f:
        return gzip.compress(f.read(), compresslevel=9, mtime=0)


def accepts_gzip(accept_encoding: str) -> bool:
    """Tell whether an ``Accept-Encoding`` header allows gzip (``q=0`` refuses it)."""
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            q = params.strip().removeprefix("q=")
            return not q or q.strip() not in ("0", "0.0", "0.00", "0.000")
    return False


def is_versioned(path: str, query_v: bool) -> bool:
    """Tell whether a file's address names its content, so that it never changes."""
    return query_v or bool(_HASHED_NAME.search(path))


class CompressedAssets(web.StaticFileHandler):
    """A mixin for Tornado's static file handlers (see the module text)."""

    _tw_gzip: bytes | bool | None = False  # not decided yet

    def _gzip_body(self) -> bytes | None:
        if self._tw_gzip is not False:
            return self._tw_gzip  # type: ignore[return-value]
        body = None
        path = self.absolute_path
        if (
            path
            and os.path.splitext(path)[1].lower() in COMPRESSIBLE
            and "Range" not in self.request.headers
            and accepts_gzip(self.request.headers.get("Accept-Encoding", ""))
        ):
            st = os.stat(path)
            if st.st_size >= MIN_BYTES:
                body = gzipped(path, st.st_mtime_ns, st.st_size)
        self._tw_gzip = body
        return body

    def set_headers(self) -> None:
        super().set_headers()
        if self.absolute_path and os.path.splitext(self.absolute_path)[1].lower() in COMPRESSIBLE:
            self.add_header("Vary", "Accept-Encoding")
        if self._gzip_body() is not None:
            self.set_header("Content-Encoding", "gzip")
        if is_versioned(self.request.path, "v" in self.request.arguments):
            self.set_header("Cache-Control", IMMUTABLE)

    def compute_etag(self) -> str | None:
        etag = super().compute_etag()
        if etag and self._gzip_body() is not None:
            etag = etag.rstrip('"') + '-gzip"'  # another body, another tag
        return etag

    async def get(self, path: str, include_body: bool = True) -> None:
        if "Range" in self.request.headers or not accepts_gzip(
            self.request.headers.get("Accept-Encoding", "")
        ):
            await super().get(path, include_body)
            return
        # Tornado's own steps, without ranges, sending the kept gzip body when there is one.
        self.path = self.parse_url_path(path)
        absolute_path = self.get_absolute_path(self.root, self.path)
        # Only now: Voilà's handler picks ``self.root`` while it finds the file.
        self.absolute_path = self.validate_absolute_path(self.root, absolute_path)
        if self.absolute_path is None:
            return
        self.modified = self.get_modified_time()
        self.set_headers()
        if self.should_return_304():
            self.set_status(304)
            return
        body = self._gzip_body()
        if body is None:
            self.set_header("Content-Length", self.get_content_size())
            chunks = self.get_content(self.absolute_path) if include_body else ()
        else:
            self.set_header("Content-Length", len(body))
            chunks = (body,) if include_body else ()
        for chunk in [chunks] if isinstance(chunks, bytes) else chunks:
            self.write(chunk)
            await self.flush()


class AssetHandler(CompressedAssets, FileFindHandler):
    """JupyterLab extensions and Jupyter Server's static files."""


class VoilaStaticHandler(CompressedAssets, MultiStaticFileHandler):
    """Voilà's own bundles."""


class TemplateStaticHandler(CompressedAssets, TemplateStaticFileHandler):
    """The page templates' static files."""


class KitStaticHandler(CompressedAssets):
    """The kit's own script, styles and icon font."""


REPLACED_STATIC = {
    FileFindHandler: AssetHandler,
    MultiStaticFileHandler: VoilaStaticHandler,
    TemplateStaticFileHandler: TemplateStaticHandler,
}
