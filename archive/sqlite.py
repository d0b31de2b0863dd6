"""SQLite's LIKE folds case for ASCII letters only, so `Халхин` never matched `халхин` there.

Django runs icontains (the admin's search, autocomplete, the public search on SQLite) as
`LIKE %s ESCAPE '\\'`. SQLite lets an application replace the function behind LIKE, as its ICU extension
does; this one folds case with Python's Unicode rules. PostgreSQL is untouched.
"""

import functools
import re


@functools.lru_cache(maxsize=512)
def _pattern(pattern: str, escape: str | None) -> re.Pattern:
    parts, chars = [], iter(pattern)
    for char in chars:
        if escape and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL | re.IGNORECASE)


def unicode_like(pattern, value, escape=None):
    if pattern is None or value is None:
        return None
    return _pattern(str(pattern).casefold(), escape).fullmatch(str(value).casefold()) is not None


def install_unicode_like(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("like", 2, unicode_like, deterministic=True)
        connection.connection.create_function("like", 3, unicode_like, deterministic=True)
