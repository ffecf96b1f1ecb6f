"""Search benchmark on PostgreSQL: the search view against a plain ILIKE scan, at 1,000 and at 10,000 pages.

Per query: the whole view (request to rendered page, through Django's test client), the search's own SQL for a first
page (counts per kind, then ten ranked rows with headlines), and the naive search a site without an index would run: an
ILIKE scan over the text the pages store (count and newest ten, SQL only, so the comparison favours the scan).

Run with `make bench-search` (it needs PostgreSQL; BENCH_DATABASE_URL names the database, which this script drops and
creates again). The site's seed content is loaded first; generated action pages are then added in bulk, half Dutch and
half English, their text drawn from the seed's own sentences and as long as the seed's own actions, and indexed
through the same code that indexes a published page. Prints figures, with the load average; asserts nothing about
time.
"""

import json
import os
import random
import re
import statistics
import sys
import time
import uuid
import warnings
from pathlib import Path
from urllib.parse import urlencode

from fresh_database import recreate  # beside this script

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kernteam_bench_search")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
warnings.filterwarnings("ignore", "No directory at", UserWarning)

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "1000,10000").split(",")]
QUERIES = {
    "nl": ["verkiezing", "ambtenaar", "publieke waarden", "politieke agendering", "vakmanschap van ambtenaren"],
    "en": ["elections", "servant", "public values", "political agenda", "craftsmanship of civil servants"],
}
SEARCH_PATH = {"nl": "/zoeken/", "en": "/en/search/"}


recreate(DATABASE_URL)

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Locale, Page  # noqa: E402

from actions.models import ActionIndexPage, ActionPage  # noqa: E402
from search.engines import engine  # noqa: E402
from search.indexing import entry_for, store  # noqa: E402


def sentences(language):
    text = (ROOT / f"actions/seed/acties-en-interventies.{language}.txt").read_text()
    found = [" ".join(part.split()) for part in re.split(r"(?<=[.?!])\s+|\n\n", text)]
    return [sentence for sentence in found if len(sentence.split()) >= 5]


def seed_body_lengths(overview):
    """The length of the text of each seeded action in this language: generated pages are as long as real ones."""
    return [len(entry_for(page).text.body) for page in ActionPage.objects.child_of(overview).live()]


def paragraphs(pool, rng, length):
    """Sentences from the pool, a few to a paragraph, until the text is `length` characters long."""
    sentences, total = [], 0
    while total < length:
        sentences.append(rng.choice(pool))
        total += len(sentences[-1]) + 1
    cut = sorted(rng.sample(range(1, len(sentences)), min(2, len(sentences) - 1))) if len(sentences) > 1 else []
    parts = [sentences[start:end] for start, end in zip([0, *cut], [*cut, len(sentences)], strict=True)]
    return [{"type": "paragraph", "value": "<p>" + " ".join(part) + "</p>", "id": str(uuid.uuid4())} for part in parts]


def add_pages(overview, count, pool, lengths, rng, start_number):
    """Adds `count` live action pages under `overview` in bulk: page rows, action rows, then their index rows."""
    locale = overview.locale
    content_type_id = ContentType.objects.get_for_model(ActionPage).pk
    now = timezone.now()
    overview.refresh_from_db()
    pages, bodies = [], []
    for offset in range(count):
        number = start_number + offset
        title_words = rng.choice(pool).rstrip(".?!").split()
        title = " ".join(title_words[: rng.randint(4, 8)]) + f" {number}"
        slug = f"actie-{number}" if locale.language_code == "nl" else f"action-{number}"
        body = paragraphs(pool, rng, rng.choice(lengths))
        page = ActionPage(
            path=ActionIndexPage._get_path(overview.path, overview.depth + 1, overview.numchild + offset + 1),
            depth=overview.depth + 1,
            numchild=0,
            title=title,
            draft_title=title,
            slug=slug,
            content_type_id=content_type_id,
            live=True,
            has_unpublished_changes=False,
            url_path=f"{overview.url_path}{slug}/",
            first_published_at=now,
            last_published_at=now,
            locale=locale,
            translation_key=uuid.uuid4(),
            number=number % 30000,
            summary=rng.choice(pool)[:400],
            status="ongoing",
            body=json.dumps(body),
        )
        pages.append(page)
        bodies.append(json.dumps(body))
    with transaction.atomic():
        page_fields = [field.attname for field in Page._meta.concrete_fields if field.attname != "id"]
        created = Page.objects.bulk_create(
            [Page(**{name: getattr(page, name) for name in page_fields}) for page in pages], batch_size=1000
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO actions_actionpage (page_ptr_id, number, summary, status, body, partners, updates)"
                " VALUES (%s, %s, %s, %s, %s::jsonb, '[]'::jsonb, '[]'::jsonb)",
                [
                    (row.pk, page.number, page.summary, page.status, body)
                    for row, page, body in zip(created, pages, bodies, strict=True)
                ],
            )
        for row, page in zip(created, pages, strict=True):
            page.pk = page.id = page.page_ptr_id = row.pk
        ActionIndexPage.objects.filter(pk=overview.pk).update(numchild=overview.numchild + count)
        store(entry_for(page) for page in pages)


def timed(functions, rounds):
    """Each function's timings in ms. A round runs each once, in turn, so that all are measured in the same moments
    of a machine whose speed varies from minute to minute."""
    for function in functions:
        function()  # warm up
    timings = [[] for _ in functions]
    for _ in range(rounds):
        for function, times in zip(functions, timings, strict=True):
            start = time.perf_counter()
            function()
            times.append((time.perf_counter() - start) * 1000)
    return timings


def summary(timings):
    return statistics.median(timings), statistics.quantiles(timings, n=20)[-1]


def ilike_scan(language, query):
    """The naive search: every word somewhere in a live page of the language, case-insensitive, in what the pages
    store (the title, the summary and the body's stored JSON, as `icontains` on those fields reads them); the count
    and the newest ten. The generated pages are all actions, so the action table holds the text scanned."""
    words = query.split()
    condition = " AND ".join(["(p.title || ' ' || a.summary || ' ' || a.body::text) ILIKE %s"] * len(words))
    # The condition repeats a constant; the words are parameters.
    sql = (
        "SELECT p.id, count(*) OVER () FROM wagtailcore_page p JOIN actions_actionpage a ON a.page_ptr_id = p.id"  # noqa: S608
        f" JOIN wagtailcore_locale l ON l.id = p.locale_id WHERE p.live AND l.language_code = %s AND {condition}"
        " ORDER BY p.last_published_at DESC LIMIT 10"
    )
    params = [language, *[f"%{word}%" for word in words]]

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def search_queries(language, query):
    """The search's own database work for a first page of results: counts per kind, ranked ids, rows."""
    locale = Locale.objects.get(language_code=language)

    def run():
        searched = engine().Search(query, locale)
        return searched.results("", searched.count(), 0, 10)

    return run


def measure(client, size):
    print(f"\n== {size:,} generated pages ({size // 2:,} Dutch, {size // 2:,} English), {ROUNDS} rounds per query")
    print(
        f"{'query':<36} {'words':>5} {'found':>6} {'view med':>9} {'view p95':>9} {'SQL med':>9}"
        f" {'ILIKE med':>10} {'ILIKE p95':>10} {'scan/view':>10} {'scan/SQL':>9}"
    )
    all_view, all_sql, all_scan = [], [], []
    for language, queries in QUERIES.items():
        for query in queries:
            url = SEARCH_PATH[language] + "?" + urlencode({"q": query})
            response = client.get(url)
            assert response.status_code == 200, url
            found = engine().Search(query, Locale.objects.get(language_code=language)).count()
            view, sql, scan = timed(
                [lambda url=url: client.get(url), search_queries(language, query), ilike_scan(language, query)], ROUNDS
            )
            all_view += view
            all_sql += sql
            all_scan += scan
            view_median, view_p95 = summary(view)
            scan_median, scan_p95 = summary(scan)
            print(
                f"{language + ': ' + query:<36} {len(query.split()):>5} {found:>6}"
                f" {view_median:>8.1f}ms {view_p95:>8.1f}ms {statistics.median(sql):>7.1f}ms"
                f" {scan_median:>9.1f}ms {scan_p95:>9.1f}ms {scan_median / view_median:>9.1f}x"
                f" {scan_median / statistics.median(sql):>8.1f}x"
            )
    # What every answer of the view costs, whatever the query: the middleware, the site shell and the template.
    (empty,) = timed([lambda: client.get(SEARCH_PATH["nl"])], ROUNDS)
    print(f"{'(the view without a query)':<36} {'':>5} {'':>6} {statistics.median(empty):>8.1f}ms")
    view_median, view_p95 = summary(all_view)
    scan_median, scan_p95 = summary(all_scan)
    sql_median = statistics.median(all_sql)
    print(
        f"{'all queries':<36} {'':>5} {'':>6} {view_median:>8.1f}ms {view_p95:>8.1f}ms {sql_median:>7.1f}ms"
        f" {scan_median:>9.1f}ms {scan_p95:>9.1f}ms {scan_median / view_median:>9.1f}x"
        f" {scan_median / sql_median:>8.1f}x"
    )
    return view_median, view_p95, scan_median, scan_p95, sql_median


def main():
    call_command("migrate", verbosity=0)
    call_command("compile_catalogues", verbosity=0)
    call_command("load_seed_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    rng = random.Random(10)  # noqa: S311 - fixed text, not secrets
    overviews = {
        language: ActionIndexPage.objects.get(locale=Locale.objects.get(language_code=language))
        for language in QUERIES
    }
    pools = {language: sentences(language) for language in QUERIES}
    lengths = {language: seed_body_lengths(overview) for language, overview in overviews.items()}
    client = Client(HTTP_HOST="localhost")
    loaded, figures = 0, {}
    for size in SIZES:
        start = time.perf_counter()
        for language, overview in overviews.items():
            add_pages(
                overview, (size - loaded) // 2, pools[language], lengths[language], rng, start_number=100 + loaded // 2
            )
        loaded = size
        with connection.cursor() as cursor:
            # Every table, so that autovacuum, woken by the bulk load, does not run during the measurements; then
            # the checkpoint, so that writing out what the load and the vacuum changed does not either.
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CHECKPOINT")
        print(f"\nLoaded {size:,} pages in {time.perf_counter() - start:.1f} s")
        print(f"load average: {' '.join(f'{load:.2f}' for load in os.getloadavg())}; {os.cpu_count()} cores")
        # The bulk-loaded pages are real pages: live, routable, rendered.
        for overview in overviews.values():
            page = ActionPage.objects.child_of(overview).live().order_by("-path").first()
            assert client.get(page.url).status_code == 200, page.url
        figures[size] = measure(client, size)
    if len(figures) > 1:
        first, last = SIZES[0], SIZES[-1]
        print(f"\nGrowth from {first:,} to {last:,} pages (median of all queries):")
        print(
            f"  search view {figures[first][0]:.1f} ms -> {figures[last][0]:.1f} ms"
            f" ({figures[last][0] / figures[first][0]:.1f}x)"
        )
        print(
            f"  search SQL  {figures[first][4]:.1f} ms -> {figures[last][4]:.1f} ms"
            f" ({figures[last][4] / figures[first][4]:.1f}x)"
        )
        print(
            f"  ILIKE scan  {figures[first][2]:.1f} ms -> {figures[last][2]:.1f} ms"
            f" ({figures[last][2] / figures[first][2]:.1f}x)"
        )


if __name__ == "__main__":
    main()
