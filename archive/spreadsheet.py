"""CSV cells a spreadsheet would run: a cell starting with =, +, -, @, tab or carriage return is taken as a
formula (OWASP "CSV injection"). Every CSV Opis writes, the public list's and the curators', puts an apostrophe
before such a cell; the curators' import takes it off again, so the escaping is reversible."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: str) -> str:
    """The cell with an apostrophe before it if a spreadsheet would run it, or if it already starts with an
    apostrophe that `unescape_formula` would take off (so that a round trip gives the value back)."""
    if value.startswith(FORMULA_STARTS) or (value.startswith("'") and value[1:2] in ("'", *FORMULA_STARTS)):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    """The cell as it was before `escape_formula`."""
    if value.startswith("'") and value[1:2] and value[1:2] in ("'", *FORMULA_STARTS):
        return value[1:]
    return value
