"""Two-factor login: editors set up an authenticator app and give its code after the password."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from test_settings import REQUIRED, manage

PASSWORD = "a-long-and-proper-password"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("redacteur", "redacteur@example.org", PASSWORD)


def code(device, steps_ahead=0):
    """What the editor's app shows now (or a step later: django-otp accepts one step of clock drift, and refuses
    a code that was used already)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in(client):
    response = client.post("/admin/login/", {"username": "redacteur", "password": PASSWORD})
    assert response.status_code == 302
    return client.get("/admin/")


def test_a_required_second_factor_is_set_up_at_the_first_sign_in_and_asked_at_every_next(editor, client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    first = sign_in(client)
    assert first.status_code == 302 and first["Location"] == "/admin/two-factor/enrol/?next=/admin/"
    assert client.get("/admin/pages/").status_code == 302, "no admin page opens before the second factor"

    enrol = client.get(first["Location"])
    html = enrol.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert re.search(r"<code>([A-Z2-7]+=*)</code>", html).group(1) == enrol.context["key"]
    assert client.get(first["Location"]).context["key"] == enrol.context["key"], "a reload keeps the scanned key"

    wrong = client.post(first["Location"], {"code": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    time.sleep(1.1)  # django-otp makes the next try after a wrong code wait a second
    done = client.post(first["Location"], {"code": code(device), "next": "/admin/"})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get(user=editor).confirmed

    client.post("/admin/logout/")
    again = sign_in(client)
    assert again["Location"] == "/admin/two-factor/?next=/admin/"
    assert client.post("/admin/two-factor/", {"code": code(device, steps_ahead=1)}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_used_code_and_guesses_do_not_open_the_admin(editor, client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    sign_in(client)
    wrong = client.post("/admin/two-factor/", {"code": "12345"})
    assert "Deze code klopt niet" in wrong.content.decode()
    throttled = client.post("/admin/two-factor/", {"code": code(device)})
    assert "Te veel onjuiste codes" in throttled.content.decode(), "a right code right after a wrong one waits"
    time.sleep(1.1)
    used = code(device)
    assert client.post("/admin/two-factor/", {"code": used}).status_code == 302

    client.post("/admin/logout/")
    sign_in(client)
    replay = client.post("/admin/two-factor/", {"code": used})
    assert replay.status_code == 200 and client.get("/admin/").status_code == 302


def test_knowing_the_password_is_not_enough_to_add_a_device(editor, client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    sign_in(client)
    response = client.get("/admin/two-factor/enrol/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/two-factor/?")
    assert TOTPDevice.objects.filter(user=editor).count() == 1


def test_after_the_code_the_editor_goes_only_to_an_address_of_this_site(editor, client):
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    sign_in(client)
    response = client.post("/admin/two-factor/", {"code": code(device), "next": "https://evil.example/admin/"})
    assert response["Location"] == "/admin/"


def test_when_optional_only_editors_with_a_device_are_asked(editor, client):
    assert sign_in(client).status_code == 200, "the development admin signs in with its password alone"
    account = client.get("/admin/account/").content.decode()
    assert "/admin/two-factor/enrol/" in account, "the account menu offers to set it up"
    TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    client.post("/admin/logout/")
    assert sign_in(client)["Location"] == "/admin/two-factor/?next=/admin/"


def test_production_requires_two_factor_login_unless_switched_off():
    show = "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)"
    assert manage("shell", "--no-imports", "-c", show, **REQUIRED).stdout.strip() == "True"
    off = manage("shell", "--no-imports", "-c", show, **REQUIRED, TWO_FACTOR_REQUIRED="false")
    assert off.stdout.strip() == "False"


def password_only(client, login_path):
    response = client.post(login_path, {"username": "redacteur", "password": PASSWORD, "next": "/"})
    assert response.status_code == 302


@pytest.mark.parametrize("login_path", ["/admin/login/", "/_util/login/"])
def test_the_password_alone_opens_nothing_private(editor, private, client, settings, login_path):
    settings.TWO_FACTOR_REQUIRED = True
    password_only(client, login_path)

    page = client.get(private["page"])
    assert page.status_code == 302 and page["Location"].startswith("/_util/login/?next="), "as if signed out"
    document = client.get(private["document"])
    assert document.status_code == 302 and b"geheime" not in document.content
    assert "wagtail-userbar" not in client.get("/").content.decode(), "no userbar before the code"
    assert client.get("/admin/")["Location"] == "/admin/two-factor/enrol/?next=/admin/", "the admin asks for it"


def test_after_the_password_for_a_private_page_the_code_comes_next(editor, private, client):
    TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    login = client.get(private["page"])["Location"]
    password = client.post(login, {"username": "redacteur", "password": PASSWORD, "next": private["page"]})
    assert password.status_code == 302 and password["Location"] == private["page"]
    back = client.get(private["page"])
    assert back.status_code == 302 and back["Location"] == login, "still signed out for the page"
    step = client.get(login)
    assert step.status_code == 302 and step["Location"] == f"/admin/two-factor/?next={private['page']}"


def test_a_session_that_gave_its_code_sees_everything(editor, private, client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    password_only(client, "/admin/login/")
    assert client.post("/admin/two-factor/", {"code": code(device)}).status_code == 302

    assert "Geheim." in client.get(private["page"]).content.decode()
    assert b"".join(client.get(private["document"]).streaming_content) == b"Het geheime plan."
    assert 'id="wagtail-userbar-template"' in client.get("/").content.decode()
