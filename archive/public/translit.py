"""Rough transliteration between Russian Cyrillic and Latin, so Khalkhin also finds Халхин and back.

Search uses it to add a second spelling of the query; trigram similarity absorbs what the rough
mapping gets wrong (Choibalsan gives чоибалсан, close enough to Чойбалсан).
"""

import re

_LATIN_TO_CYRILLIC = [
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"),
    ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("ye", "е"), ("iy", "ий"), ("yy", "ый"),
    ("ai", "ай"), ("ei", "ей"), ("oi", "ой"), ("ui", "уй"),
    ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"),
    ("j", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"),
    ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "к"), ("y", "ы"), ("w", "в"),
    ("x", "кс"), ("q", "к"),
]  # fmt: skip
_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_LATIN_PATTERN = re.compile("|".join(latin for latin, _ in _LATIN_TO_CYRILLIC))
_CYRILLIC = dict(_LATIN_TO_CYRILLIC)
_KEEP = {"or"}  # the websearch operator stays as it is


def to_cyrillic(text: str) -> str:
    def word(match: re.Match) -> str:
        token = match.group(0)
        if token.lower() in _KEEP:
            return token
        return _LATIN_PATTERN.sub(lambda m: _CYRILLIC[m.group(0)], token.lower())

    return re.sub(r"[A-Za-z]+", word, text)


def to_latin(text: str) -> str:
    return "".join(_CYRILLIC_TO_LATIN.get(char, char) for char in text.lower())


def spellings(text: str) -> list[str]:
    """The query as typed, then its transliteration if it has letters of the other script.

    A Latin query is also spelt back from its Cyrillic form, in the romanisation of to_latin: other
    romanisations of one name meet there (Halhin and Khalkhin are both халхин, so both find khalkhin).
    """
    found = [text]
    for variant in (to_cyrillic(text), to_latin(text), to_latin(to_cyrillic(text))):
        if variant.lower() != text.lower() and variant not in found:
            found.append(variant)
    return found
