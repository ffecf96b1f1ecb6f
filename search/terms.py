"""A query in web-search syntax, parsed the same way for every database."""

import re
from dataclasses import dataclass, field

TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
ALPHANUMERIC = re.compile(r"[^\W_]")


@dataclass
class Terms:
    """A query in web-search syntax: words and "phrases" that must occur, -words that must not, `or` between two.

    Only terms with a letter or digit count: a run of minus signs, quotes or other signs can match nothing.
    """

    include: list = field(default_factory=list)
    exclude: list = field(default_factory=list)
    websearch: str = ""

    @classmethod
    def parse(cls, query):
        terms = cls()
        parts = []
        for minus, phrase, word_minus, word in TOKEN.findall(query):
            if word and word.lower() == "or":
                if parts and parts[-1] != "or":
                    parts.append("or")
                continue
            # A quote inside a word would end the phrase it becomes below; leading minus signs beyond the first say
            # nothing more.
            text = " ".join((phrase or word).replace('"', " ").split()).strip("'").lstrip("-")
            if not ALPHANUMERIC.search(text):
                continue
            excluded = bool(minus or word_minus)
            (terms.exclude if excluded else terms.include).append(text)
            parts.append(("-" if excluded else "") + f'"{text}"')
        terms.websearch = " ".join(parts[:-1] if parts and parts[-1] == "or" else parts)
        return terms

    @property
    def words(self):
        """The single words a visitor typed (not phrases, not exclusions), for spelling suggestions."""
        return [term for term in self.include if " " not in term]
