"""Field values for seeded pages, in the form they are stored in, so a page the seed wrote compares equal to them."""

import html


def paragraphs(*texts):
    return "".join(f"<p>{html.escape(text, quote=False)}</p>" for text in texts)


def rich_text(blocks):
    """Rich text of ("heading" | "paragraph", text) blocks, in order."""
    return "".join(
        f"<h2>{html.escape(text, quote=False)}</h2>" if kind == "heading" else paragraphs(text)
        for kind, text in blocks
    )


def text_block(block, language):
    """A heading or paragraph block of a seeded text page, from its seed entry ({"type", "nl", "en"})."""
    text = block[language]
    if block["type"] == "heading":
        return ("heading", {"text": text, "level": "h2"})
    return ("paragraph", paragraphs(text))


def stream(*blocks):
    """A StreamField value in its stored form, so it compares equal to what is in the database."""
    return [{"type": block_type, "value": value} for block_type, value in blocks]


def stored(page, name):
    value = getattr(page, name)
    if hasattr(value, "raw_data"):
        return [{"type": block["type"], "value": block["value"]} for block in value.raw_data]
    return value
