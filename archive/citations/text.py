"""A source's full citation as a note: in Russian after ГОСТ Р 7.0.100–2018, in English after Chicago (notes).

Russian: Заглавие : 12 марта 1936 г. // РГАСПИ. Ф. 558. Оп. 11. Д. 123. Л. 12. — URL: https://… (дата обращения:
02.12.2026). — Текст : электронный.
English: Title, 12 March 1936, RGASPI, f. 558, op. 11, d. 123, l. 12, https://… (accessed 2 December 2026).
Parts not known are left out; an undated document is "б. д." / "n.d.".
"""

from archive.dates import in_words

from .record import Cited


def _closed(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else f"{text}."


def full_ru(item: Cited) -> str:
    head = f"{item.title_original or item.title} : {item.date_ru or 'б. д.'}"
    if item.reference_ru:
        head = f"{head} // {item.reference_ru}"
    accessed = item.accessed.strftime("%d.%m.%Y")
    return f"{_closed(head)} — URL: {item.url} (дата обращения: {accessed}). — Текст : электронный."


def full_en(item: Cited) -> str:
    # archive.citation writes the publication as a sentence ("Published in …"); inside a note it runs on.
    reference = item.reference_en.replace("Published in ", "published in ")
    parts = [item.title, item.date_en or "n.d.", reference, item.url]
    note = ", ".join(part for part in parts if part)
    return f"{note} (accessed {in_words(item.accessed.isoformat(), 'en')})."
