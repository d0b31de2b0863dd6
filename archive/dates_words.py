"""The words of dates in each interface language, with the grammatical cases Russian needs.

Cases: "nom" (a date on its own: "март 1936 г."), "gen" (after "около", "с", "до": "около марта 1936 г.")
and "acc" (after "по": "по сентябрь 1939 г."). English has one form for all three.
"""

from collections.abc import Callable
from dataclasses import dataclass

_EN_MONTHS = "January February March April May June July August September October November December".split()
_RU_MONTHS = {
    "nom": "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь".split(),
    "gen": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split(),
}
_RU_SEASONS = {
    "spring": {"nom": "весна", "gen": "весны", "acc": "весну"},
    "summer": {"nom": "лето", "gen": "лета", "acc": "лето"},
    "autumn": {"nom": "осень", "gen": "осени", "acc": "осень"},
    "winter": {"nom": "зима", "gen": "зимы", "acc": "зиму"},
}


@dataclass(frozen=True)
class Words:
    year: Callable[[str], str]
    month: Callable[..., str]  # (month, year or "", case, day=None)
    season: Callable[[str, str, str], str]
    decade: Callable[[str, str], str]
    about: str
    uncertain: str
    span: str
    since: tuple[str, str]  # open end (".."), unknown end ("")
    until: tuple[str, str]
    one_between: str
    one_of: str
    join_all: Callable[[list[str]], str]


def _en_month(month: int, year: str, case: str, day: int | None = None) -> str:
    text = f"{day} {_EN_MONTHS[month - 1]}" if day else _EN_MONTHS[month - 1]
    return f"{text} {year.lstrip('0')}" if year else text


def _ru_month(month: int, year: str, case: str, day: int | None = None) -> str:
    text = f"{day} {_RU_MONTHS['gen'][month - 1]}" if day else _RU_MONTHS["gen" if case == "gen" else "nom"][month - 1]
    return f"{text} {year.lstrip('0')} г." if year else text


def _join(texts: list[str], conjunction: str) -> str:
    return texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} {conjunction} {texts[-1]}"


WORDS = {
    "en": Words(
        year=lambda year: year.lstrip("0"),
        month=_en_month,
        season=lambda season, year, case: f"{season} {year.lstrip('0')}",
        decade=lambda year, case: f"the {year.lstrip('0')}s",
        about="about {}",
        uncertain="{} (?)",
        span="{} – {}",
        since=("from {}", "from {} (end unknown)"),
        until=("until {}", "until {} (start unknown)"),
        one_between="one date between {} and {}",
        one_of="one of: {}",
        join_all=lambda texts: _join(texts, "and"),
    ),
    "ru": Words(
        year=lambda year: f"{year.lstrip('0')} г.",
        month=_ru_month,
        season=lambda season, year, case: f"{_RU_SEASONS[season][case]} {year.lstrip('0')} г.",
        decade=lambda year, case: f"{year.lstrip('0')}-{'х' if case == 'gen' else 'е'} гг.",
        about="около {}",
        uncertain="{} (?)",
        span="{} – {}",
        since=("с {}", "с {} (дата окончания неизвестна)"),
        until=("до {}", "до {} (дата начала неизвестна)"),
        one_between="одна дата в период с {} по {}",
        one_of="одна из дат: {}",
        join_all=lambda texts: _join(texts, "и"),
    ),
}
