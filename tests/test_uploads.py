"""Editors upload only safe file types and sizes; documents are served through Wagtail's view."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [("logo.png", png(), True), ("logo.svg", SVG, False), ("logo.html", b"<script>alert(1)</script>", False)],
)
def test_images_are_raster_only(admin_client, settings, tmp_path, name, content, accepted):
    settings.MEDIA_ROOT = tmp_path
    response = admin_client.post(
        "/admin/images/add/", {"title": name, "file": SimpleUploadedFile(name, content), "collection": 1}
    )
    assert get_image_model().objects.filter(title=name).exists() is accepted
    if not accepted:
        assert response.status_code == 200 and "file" in response.context["form"].errors


@pytest.mark.parametrize(("name", "accepted"), [("plan.pdf", True), ("page.html", False), ("run.exe", False)])
def test_documents_are_office_types_only(admin_client, settings, tmp_path, name, accepted):
    settings.MEDIA_ROOT = tmp_path
    admin_client.post(
        "/admin/documents/add/", {"title": name, "file": SimpleUploadedFile(name, b"%PDF-1.4 test"), "collection": 1}
    )
    assert get_document_model().objects.filter(title=name).exists() is accepted


def test_oversized_uploads_are_refused(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * 2048)
    response = admin_client.post("/admin/documents/add/", {"title": "big", "file": big, "collection": 1})
    assert "file" in response.context["form"].errors
    assert not get_document_model().objects.filter(title="big").exists()


def test_documents_are_served_through_the_view_that_forbids_running_them(db, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = get_document_model().objects.create(title="Plan", file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4"))
    response = client.get(document.url)
    assert document.url.startswith("/documents/") and response.status_code == 200
    # Wagtail's own policy for documents wins over the site's: nothing in a document may load or run.
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
