"""Spelling suggestions for a query that found nothing: each unknown word replaced by the closest word of the
language's pages, by the database's own measure of closeness."""

from .engines import engine
from .models import SearchWord
from .terms import Terms
from .text import WORD


def suggest(query, locale):
    """A query with each unknown word replaced by the closest word of this language's pages, or None."""
    terms = Terms.parse(query)
    words = [word for word in terms.words if WORD.fullmatch(word)][:5]
    if not words:
        return None
    known_words = SearchWord.objects.filter(locale=locale)
    known = set(known_words.filter(word__in=[word.lower() for word in words]).values_list("word", flat=True))
    replacements = {}
    for word in words:
        if word.lower() in known:
            continue
        closest = engine().closest_word(known_words, word.lower())
        if closest:
            replacements[word] = closest
    if not replacements:
        return None
    return " ".join(replacements.get(token, token) for token in query.split())
