"""Text folded for comparison: lower case, accents and special letters spelled in ASCII.

NFKD splits "é" into "e" plus a combining accent, which is dropped. Some letters have no
decomposition (ß, æ, œ, ø, ł, đ, þ …): a table spells them out, the way people type them on a
keyboard without them. Apostrophes disappear (O'Brien → obrien, D'Amico → damico), before NFKD
because it would turn an acute accent typed as an apostrophe (U+00B4) into a space.
"""

from __future__ import annotations

import re
import unicodedata

# ' and its look-alikes: right and left quotes, modifier apostrophe, grave, acute, primes.
_APOSTROPHES = str.maketrans(dict.fromkeys("'\u2019\u2018\u02bc`\u00b4\u2032\u02b9", None))
# After casefold(), which already turns ß into ss and upper case into lower case.
_LETTERS = str.maketrans(
    {
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "\u0131": "i",  # dotless i
        "ħ": "h",
        "ŧ": "t",
        "ŀ": "l",
        "ĸ": "k",
    }
)
_NOT_WORD = re.compile(r"[\W_]+")


def fold_letters(text: str) -> str:
    """``text`` in lower case without accents or apostrophes; punctuation and spaces kept."""
    text = text.translate(_APOSTROPHES).casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_LETTERS)


def words(text: str) -> list[str]:
    """Folded words of ``text``: every run of characters other than letters and digits splits."""
    return _NOT_WORD.sub(" ", fold_letters(text)).split()


def fold_text(text: str) -> str:
    """Folded words of ``text`` joined by single spaces (``"Jean-Pierre"`` → ``"jean pierre"``)."""
    return " ".join(words(text))
