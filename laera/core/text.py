"""Small text helpers shared by the apps."""

from __future__ import annotations

from django.utils.text import slugify

# Nordic letters as people write them in file and web names when they cannot use them ("Røyken" ->
# "royken", "Bærum" -> "baerum"), instead of dropping them as plain ASCII slugs do.
_NORDIC = str.maketrans(
    {
        "æ": "ae",
        "Æ": "Ae",
        "ø": "o",
        "Ø": "O",
        "å": "a",
        "Å": "A",
        "ä": "a",
        "Ä": "A",
        "ö": "o",
        "Ö": "O",
        "ü": "u",
        "Ü": "U",
    }
)


def nordic_slug(text: str, fallback: str = "") -> str:
    """An ASCII slug of `text` with æ, ø, å, ä and ö spelled out; `fallback` when nothing is left."""
    return slugify(text.translate(_NORDIC)) or fallback
