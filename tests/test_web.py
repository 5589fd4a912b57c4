"""The site's frame on every page: the main navigation, the icon."""

from __future__ import annotations

import re
import struct

import pytest


def nav(html: str) -> dict[str, bool]:
    """href -> aria-current="page" for the links of the main navigation."""
    block = re.search(r'<nav class="site-nav" aria-label="Main">(.*?)</nav>', html, re.S).group(1)
    return {m.group(1): bool(m.group(2)) for m in re.finditer(r'<a href="([^"]+)"( aria-current="page")?>', block)}


@pytest.mark.parametrize("path, current", [
    ("/", "/"), ("/resources", "/resources"), ("/organizations", "/organizations"), ("/states", "/states"),
    ("/search", "/search"), ("/sparql", "/sparql"), ("/validate", "/validate"),
])
def test_main_navigation_links_every_section_and_marks_this_one(client, path, current):
    r = client.get(path, headers={"Accept": "text/html"})
    assert r.status_code == 200
    links = nav(r.text)
    assert list(links) == ["/", "/resources", "/organizations", "/states", "/search", "/sparql", "/validate"]
    assert [href for href, here in links.items() if here] == [current]


def test_favicon(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/x-icon"
    reserved, kind, count = struct.unpack("<HHH", r.content[:6])
    assert (reserved, kind, count) == (0, 1, 1)  # an icon file with one image
    width, height, _, _, _, _, size, offset = struct.unpack("<BBBBHHII", r.content[6:22])
    assert (width, height) == (32, 32) and r.content[offset:offset + 8] == b"\x89PNG\r\n\x1a\n"
    assert offset + size == len(r.content)
    page = client.get("/").text
    href = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page).group(1)
    svg = client.get(href)
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg")
