import json
import os

import hypothesis
import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from pytest_django.plugin import blocking_manager_key
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Locale, Page, PageViewRestriction

from actions.models import ActionIndexPage, ActionPage
from home.models import HomePage, point_default_site_at_public_address
from home.seeding.loader import Loader
from home.serving import memory
from tests.worker import newsletter_worker


def pytest_configure(config):
    """The .mo files are build products, not committed: compile them before any text is translated. Once, in the
    process that starts pytest-xdist's workers (make test), before it starts them: two workers writing the same
    file, one could read the other's half-written catalogue."""
    if not hasattr(config, "workerinput"):
        call_command("compile_catalogues", verbosity=0)


def is_transactional(item):
    """Whether pytest-django runs `item` as a TransactionTestCase, which empties every table when it ends."""
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(item.fixturenames)
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test has emptied the database, puts back what the migrations wrote (the Dutch Locale,
    Wagtail's root page) for the next test, unless that one is transactional too (serialized rollback puts it back
    then). pytest-django runs the transactional tests last so that this is seldom needed; pytest-xdist, sending
    whole files to each worker (make test), runs them between the others."""
    result = yield
    rows = getattr(connection, "_test_serialized_contents", None)
    if rows and nextitem is not None and is_transactional(item) and not is_transactional(nextitem):
        with item.config.stash[blocking_manager_key].unblock():
            connection.creation.deserialize_db_from_string(rows)
    return result


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with empty caches, and with nothing of them in this process's memory: Wagtail keeps the
    sites' root paths there, pages are cached, and a rolled-back test leaves both behind without the signals that
    would clear them."""
    for cache in caches.all():
        cache.clear()
    memory.forget()


def run_loader():
    Loader(report=lambda line: None).run()


@pytest.fixture
def load_seed(db):
    """Runs the seed loader without its report."""
    return run_loader


@pytest.fixture(scope="module")
def seed_for_module(django_db_setup, django_db_blocker):
    """The seed loaded once per test module, in a transaction rolled back when the module ends.

    Each test runs in a savepoint inside it (pytest-django's `db`), so what a test changes is undone before the
    next one, which sees the seed exactly as loaded. Loading takes a few seconds; once a module instead of once a
    test is what keeps the suite fast.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        run_loader()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seed_for_module, db):
    """The real content: the Dutch tree from the source text and its English translation."""


@pytest.fixture
def tree(db):
    """A small Dutch tree: a home page as the site root, an overview, no actions yet."""
    root = Page.get_first_root_node()
    for page in root.get_children():
        page.delete()
    home = root.add_child(instance=HomePage(title="Thuis", slug="home", intro="<p>Over ons.</p>"))
    point_default_site_at_public_address(home)
    index = home.add_child(instance=ActionIndexPage(title="Acties en interventies", slug="acties-en-interventies"))
    return {"home": home, "index": index}


@pytest.fixture
def add_action(tree):
    def add(number, **fields):
        page = ActionPage(
            title=fields.pop("title", f"Actie {number}"),
            number=number,
            summary=fields.pop("summary", f"Samenvatting {number}."),
            body=json.dumps([{"type": "paragraph", "value": f"<p>Tekst van actie {number}.</p>"}]),
            **fields,
        )
        tree["index"].add_child(instance=page)
        page.save_revision().publish()
        return page

    return add


@pytest.fixture
def private(tree, settings, tmp_path):
    """A page and a document only signed-in visitors may see, and a public document (their addresses)."""
    settings.MEDIA_ROOT = tmp_path
    page = tree["home"].add_child(instance=HomePage(title="Alleen voor ons", slug="intern", intro="<p>Geheim.</p>"))
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    collection = Collection.get_first_root_node().add_child(name="Intern")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type=CollectionViewRestriction.LOGIN)
    documents = get_document_model().objects
    secret = documents.create(
        title="Plan", collection=collection, file=SimpleUploadedFile("plan.txt", b"Het geheime plan.")
    )
    public = documents.create(title="Folder", file=SimpleUploadedFile("folder.txt", b"Voor iedereen."))
    return {"page": page.url, "document": secret.url, "public document": public.url}


@pytest.fixture
def run_worker(db):
    """Runs what the newsletter's worker (`db_worker --backend newsletter --queue-name newsletter`) would: each task
    queued and due, through the worker's own code, in this test's transaction."""
    from django_tasks_db.models import DBTaskResult

    worker = newsletter_worker("test")

    def run():
        for result in DBTaskResult.objects.ready().filter(backend_name="newsletter", queue_name="newsletter"):
            result.claim(worker.worker_id)
            worker.run_task(result)
            result.refresh_from_db()
            assert result.status == "SUCCESSFUL", result.traceback

    return run


@pytest.fixture
def english(db):
    """The English locale, for tests that build translations on the small tree."""
    return Locale.objects.get_or_create(language_code="en")[0]


# Hypothesis (tests/test_bad_input.py): the same modest set of examples on every run, so CI is deterministic and
# quick; HYPOTHESIS_PROFILE=thorough searches many more, new ones each run.
hypothesis.settings.register_profile("default", derandomize=True, database=None, max_examples=60, deadline=2000)
hypothesis.settings.register_profile("thorough", max_examples=2000, deadline=None)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
