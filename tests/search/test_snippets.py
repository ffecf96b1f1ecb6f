"""A result's snippet shows each sentence once, though it is drawn from the summary and the body together and the
body often opens with the summary, and it marks where it was cut, at its start as at its end. On each database:
PostgreSQL builds headlines, SQLite's engine cuts a window of its own."""

import re
from html import unescape

import pytest

from search.text import snippet, without_repeats

pytestmark = pytest.mark.by_database


def plain(html):
    return unescape(re.sub(r"</?mark>", "", str(html)))


def repeated_runs(text, words=6):
    """Runs of `words` words that occur more than once in the text."""
    found = re.findall(r"\w+", text.lower())
    runs = [tuple(found[i : i + words]) for i in range(len(found) - words + 1)]
    return {run for run in runs if runs.count(run) > 1}


def test_no_snippet_of_the_seeded_site_reads_a_sentence_twice(seeded, client):
    items = client.get("/zoeken/", {"q": "ambtenaren"}).context["items"]
    profession = next(item for item in items if item["title"] == "De ambtenaar als professional")
    assert plain(profession["snippet"]).count("positie van ambtenaren is aan het veranderen") == 1
    assert {item["title"]: repeated_runs(plain(item["snippet"])) for item in items} == {
        item["title"]: set() for item in items
    }


def test_a_snippet_cut_after_the_start_begins_with_an_ellipsis(add_page, client):
    before = " ".join(f"Zin nummer {n} gaat over iets anders." for n in range(40))
    after = " ".join(f"Daarna zin {n} over nog iets." for n in range(40))
    add_page("nl", "Ver weg", summary="Een samenvatting.", body=f"{before} Hier staan de verkiezingen. {after}")
    text = plain(client.get("/zoeken/", {"q": "verkiezingen"}).context["items"][0]["snippet"])
    assert text.startswith("… ") and text.endswith(" …") and "verkiezingen" in text


def test_a_snippet_of_a_whole_short_text_has_no_ellipsis(add_page, client):
    add_page("nl", "Kort", summary="Over de verkiezingen.", body="Meer niet.")
    text = plain(client.get("/zoeken/", {"q": "verkiezingen"}).context["items"][0]["snippet"])
    assert "…" not in text and text.startswith("Over de verkiezingen")


def test_a_sentence_the_summary_said_is_not_shown_again_from_the_body():
    summary = "De positie van ambtenaren is aan het veranderen."
    body = f"{summary} Wat betekent dat? Het betekent veel. het betekent VEEL. Nog iets."
    assert without_repeats(body, after=summary) == "Wat betekent dat? Het betekent veel. Nog iets."


def test_fragments_and_cuts_are_marked_with_an_ellipsis():
    assert snippet("een\ue004twee", cut_before=True, cut_after=False) == "… een … twee"
