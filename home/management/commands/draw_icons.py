from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw

# The site's lintblauw with a white V (vakmanschap) over a bar in the Rijkshuisstijl's yellow, drawn on a grid
# of 100 and kept inside the central circle of radius 40 that maskable icons promise to show.
BRAND, WHITE, YELLOW = "#154273", "#ffffff", "#ffb612"
SHAPES = [
    (WHITE, [(27, 24), (39, 24), (50, 52), (61, 24), (73, 24), (56, 64), (44, 64)]),
    (YELLOW, [(31, 70), (69, 70), (69, 77), (31, 77)]),
]
# The PNG icons under site/static/icons/ (linked from base.html and the web manifest), by name and size.
PNG_SIZES = {"icon-192.png": 192, "icon-512.png": 512, "apple-touch-icon.png": 180}
ICO_SIZES = [16, 32, 48]
SUPERSAMPLING = 8  # drawn large, then scaled down: smooth edges at every size


def svg():
    polygons = "".join(
        f'<polygon fill="{colour}" points="{" ".join(f"{x},{y}" for x, y in points)}"/>' for colour, points in SHAPES
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f'<rect width="100" height="100" fill="{BRAND}"/>{polygons}</svg>\n'
    )


def bitmap(size):
    big = size * SUPERSAMPLING
    image = Image.new("RGB", (big, big), BRAND)
    draw = ImageDraw.Draw(image)
    scale = big / 100
    for colour, points in SHAPES:
        draw.polygon([(x * scale, y * scale) for x, y in points], fill=colour)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def draw_icons(static_dir, root_dir):
    """Writes the icons: the SVG and PNGs as static files, favicon.ico and apple-touch-icon.png also at the site's
    root (whitenoise serves WHITENOISE_ROOT), where browsers and crawlers look without a link."""
    static_dir.mkdir(parents=True, exist_ok=True)
    root_dir.mkdir(parents=True, exist_ok=True)
    (static_dir / "icon.svg").write_text(svg())
    for name, size in PNG_SIZES.items():
        bitmap(size).save(static_dir / name, optimize=True)
    # One image per size, each drawn at its own size, rather than one scaled down by the ICO encoder.
    largest, *smaller = [bitmap(size) for size in reversed(ICO_SIZES)]
    for directory in (static_dir, root_dir):
        largest.save(directory / "favicon.ico", sizes=[(size, size) for size in ICO_SIZES], append_images=smaller)
    bitmap(PNG_SIZES["apple-touch-icon.png"]).save(root_dir / "apple-touch-icon.png", optimize=True)


class Command(BaseCommand):
    help = "Draws the site's icons (favicon, app icons) from the shapes in this command."

    def handle(self, *args, **options):
        draw_icons(Path(settings.STATICFILES_DIRS[0]) / "icons", Path(settings.WHITENOISE_ROOT))
