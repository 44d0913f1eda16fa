"""Static files on the wire: compressed once, whole, and cached for good only when versioned."""

from __future__ import annotations

import asyncio
import gzip

import pytest
from tornado import web
from tornado.testing import AsyncHTTPTestCase

from trust_widgets.server._assets import IMMUTABLE, KitStaticHandler, accepts_gzip, gzipped

SCRIPT = ("console.log('a page script');\n" * 200).encode()


@pytest.mark.parametrize(
    ("header", "ok"),
    [("gzip, deflate, br", True), ("GZIP", True), ("br;q=1, gzip;q=0", False), ("*", True),
     ("identity", False), ("", False), ("gzip;q=0.5", True)],
)  # fmt: skip
def test_accept_encoding_is_read_as_browsers_mean_it(header, ok):
    """Which Accept-Encoding headers allow gzip? Those that name it (or *) without q=0."""
    assert accepts_gzip(header) is ok


@pytest.fixture(autouse=True)
def _no_outer_loop():
    """Run Tornado's test loop alone: the run's sync Playwright (tests/conftest.py), once
    started by an earlier layer, keeps its own loop marked as running in this thread."""
    outer = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(None)
    yield
    asyncio.events._set_running_loop(outer)


class TestCompressedAssets(AsyncHTTPTestCase):
    def get_app(self):
        import tempfile
        from pathlib import Path

        self.folder = Path(tempfile.mkdtemp())
        (self.folder / "app.js").write_bytes(SCRIPT)
        (self.folder / "main.0123abcd89ef.js").write_bytes(SCRIPT)
        (self.folder / "tiny.js").write_bytes(b"1;")
        (self.folder / "font.woff2").write_bytes(b"\x00" * 4096)
        return web.Application([(r"/s/(.*)", KitStaticHandler, {"path": str(self.folder)})])

    def get(self, path, **headers):
        return self.fetch(path, headers=headers, decompress_response=False)

    def test_a_script_comes_gzipped_and_whole(self):
        """Does a browser that accepts gzip get the file compressed, and exactly the file?"""
        r = self.get("/s/app.js", **{"Accept-Encoding": "gzip"})
        assert r.code == 200 and r.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(r.body) == SCRIPT and len(r.body) < len(SCRIPT) / 5
        assert int(r.headers["Content-Length"]) == len(r.body)
        assert "Accept-Encoding" in r.headers["Vary"] and r.headers["Etag"].endswith('-gzip"')

    def test_without_gzip_the_file_comes_as_it_is(self):
        """Does a client that does not accept gzip get the plain file, with another ETag?"""
        r = self.get("/s/app.js")
        assert r.code == 200 and "Content-Encoding" not in r.headers and r.body == SCRIPT
        assert not r.headers["Etag"].endswith('-gzip"')

    def test_a_range_is_served_from_the_plain_file(self):
        """Does a Range request get the plain bytes it asked for (never a gzip slice)?"""
        r = self.get("/s/app.js", **{"Accept-Encoding": "gzip", "Range": "bytes=0-9"})
        assert r.code == 206 and "Content-Encoding" not in r.headers and r.body == SCRIPT[:10]

    def test_a_cached_copy_is_revalidated(self):
        """Does a browser holding the gzip copy get 304 for its ETag?"""
        first = self.get("/s/app.js", **{"Accept-Encoding": "gzip"})
        again = self.get(
            "/s/app.js", **{"Accept-Encoding": "gzip", "If-None-Match": first.headers["Etag"]}
        )
        assert again.code == 304 and not again.body

    def test_small_and_compressed_files_are_left_alone(self):
        """Are tiny files and fonts (already compressed) sent as they are?"""
        for name in ("tiny.js", "font.woff2"):
            r = self.get(f"/s/{name}", **{"Accept-Encoding": "gzip"})
            assert r.code == 200 and "Content-Encoding" not in r.headers, name

    def test_only_versioned_files_are_cached_for_good(self):
        """Which files may a browser keep for a year? Those whose address names their content."""
        assert self.get("/s/app.js?v=0123abcd").headers["Cache-Control"] == IMMUTABLE
        assert self.get("/s/main.0123abcd89ef.js").headers["Cache-Control"] == IMMUTABLE
        assert self.get("/s/app.js").headers.get("Cache-Control") != IMMUTABLE

    def test_each_file_is_compressed_once(self):
        """Does a room of new devices make the server compress the same file again? No."""
        gzipped.cache_clear()
        for _ in range(5):
            self.get("/s/app.js", **{"Accept-Encoding": "gzip"})
        info = gzipped.cache_info()
        assert (info.misses, info.hits) == (1, 4)


class TestVoilaBundles(AsyncHTTPTestCase):
    def get_app(self):
        import tempfile
        from pathlib import Path

        from trust_widgets.server._assets import VoilaStaticHandler

        first, second = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
        (second / "voila.js").write_bytes(SCRIPT)
        paths = {"paths": [str(first), str(second)]}
        return web.Application([(r"/voila/static/(.*)", VoilaStaticHandler, paths)])

    def test_a_bundle_from_a_later_folder_is_found_and_gzipped(self):
        """Does Voilà's many-folder handler still find its files (in the last folder, too)?"""
        r = self.fetch("/voila/static/voila.js", headers={"Accept-Encoding": "gzip"},
                       decompress_response=False)  # fmt: skip
        assert r.code == 200 and gzip.decompress(r.body) == SCRIPT
