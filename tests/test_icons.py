"""A favicon and web app icons: at the site's root, linked from every page, and in a manifest per language."""

import json
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from home.management.commands.draw_icons import draw_icons


class HeadLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") in {"icon", "apple-touch-icon", "manifest"}:
            self.links.setdefault(attrs["rel"], []).append(attrs)


def static_file(url):
    path = finders.find(url.removeprefix("/static/"))
    assert path, f"{url} is not a static file"
    return path


@pytest.mark.parametrize(("url", "content_type"), [("/favicon.ico", "image/"), ("/apple-touch-icon.png", "image/png")])
def test_browsers_find_the_icons_at_the_root(client, url, content_type):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert "max-age=" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("page_url", "manifest_url", "language", "name", "short_name", "start"),
    [
        ("/", "/manifest.webmanifest", "nl", "Kernteam Ambtelijk Vakmanschap", "Ambtelijk Vakmanschap", "/"),
        (
            "/en/",
            "/en/manifest.webmanifest",
            "en",
            "Core Team for Public Service Craftsmanship",
            "Public Service Craftsmanship",
            "/en/",
        ),
    ],
)
def test_every_page_links_its_icons_and_the_manifest_of_its_language(
    seeded, client, django_assert_max_num_queries, page_url, manifest_url, language, name, short_name, start
):
    parser = HeadLinks()
    parser.feed(client.get(page_url).content.decode())
    assert [link["href"] for link in parser.links["manifest"]] == [manifest_url]
    assert {link.get("type") for link in parser.links["icon"]} == {None, "image/svg+xml"}
    for link in [*parser.links["icon"], *parser.links["apple-touch-icon"]]:
        static_file(link["href"])

    with django_assert_max_num_queries(0):
        response = client.get(manifest_url)
    assert response["Content-Type"] == "application/manifest+json"
    assert "max-age=" in response["Cache-Control"]
    manifest = json.loads(response.content)
    assert (manifest["lang"], manifest["name"], manifest["short_name"]) == (language, name, short_name)
    assert urljoin(manifest_url, manifest["start_url"]) == start
    for icon in manifest["icons"]:
        path = static_file(icon["src"])
        if icon["type"] == "image/png":
            width, height = Image.open(path).size
            assert f"{width}x{height}" == icon["sizes"]
    assert {"maskable"} <= {icon.get("purpose") for icon in manifest["icons"]}


def test_the_committed_icons_are_what_draw_icons_draws(tmp_path, settings):
    draw_icons(tmp_path / "static", tmp_path / "root")
    for drawn in [*(tmp_path / "static").iterdir(), *(tmp_path / "root").iterdir()]:
        committed = settings.WHITENOISE_ROOT if drawn.parent.name == "root" else settings.STATICFILES_DIRS[0] / "icons"
        if drawn.suffix == ".svg":
            assert drawn.read_text() == (committed / drawn.name).read_text()
        else:
            assert Image.open(drawn).tobytes() == Image.open(committed / drawn.name).tobytes(), drawn.name
