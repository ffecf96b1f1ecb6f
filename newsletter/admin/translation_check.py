"""The send screen's translation check: for each action item of an edition and each translation language, whether
that language's readers will find a live, up-to-date translation of the action page the item links to.

The screen flags a language with readers whose edition is not live (its explicit choice is the existing one: they
wait, or get the Dutch edition) and one where an item's action page is not translated, only a draft, or out of date
(the mail then links to the Dutch page or to stale text): sending anyway then takes a tick
(SendForm.despite_translations).
The states are home.languages.translation_state's, as in Reports → Translations; one query per language.
"""

from dataclasses import dataclass

from django.conf import settings

from home.languages.translation_state import (
    TranslationState,
    source_pages,
    translation_locales,
    with_translation_state,
)


@dataclass
class TranslationCheck:
    languages: list  # per translation language: name, edition_live, readers, stale (how many items are not live)
    items: list  # per action item: title, key (its translation_key), one TranslationState per language in `languages`

    @property
    def stale_languages(self):
        """The languages whose readers would follow an item to a missing, draft or out-of-date page."""
        return [language for language in self.languages if language["readers"] and language["stale"]]

    @property
    def stale_pages(self):
        """The translation_keys of the action pages that readers of some language would find missing, a draft or
        out of date: what the send form's tick (SendForm.despite_translations) asks about."""
        read = [bool(language["readers"]) for language in self.languages]
        return {
            item["key"]
            for item in self.items
            if any(has and state != TranslationState.LIVE for has, state in zip(read, item["states"], strict=True))
        }


def translation_check(edition, audience):
    """The check for the (Dutch) `edition`, whose `audience` (newsletter.delivery.status.audience) is known."""
    names = dict(settings.LANGUAGES)
    chosen = [block.value["action"] for block in edition.items]
    actions = [page for page in chosen if page is not None]  # a deleted action page: the preflight's to report
    keys = [page.translation_key for page in actions]
    languages, states = [], []
    for locale in translation_locales():
        found = with_translation_state(source_pages().filter(translation_key__in=keys), locale)
        state_of = {page.translation_key: TranslationState(page.translation_state) for page in found}
        column = [state_of.get(key, TranslationState.NONE) for key in keys]
        code = locale.language_code
        languages.append(
            {
                "name": names[code],
                "edition_live": audience.pages.get(code) is not None,
                "readers": audience.counts.get(code, 0),
                "stale": sum(state != TranslationState.LIVE for state in column),
            }
        )
        states.append(column)
    items = [
        {"title": page.title, "key": str(page.translation_key), "states": list(row)}
        for page, *row in zip(actions, *states, strict=True)
    ]
    return TranslationCheck(languages=languages, items=items)
