"""Russian as the program writes it: one plural rule for every count («2 детали», «5 деталей»,
«1 строка») and people's and groups' names in a grammatical case («для Татьяны Смирновой»).

Names are declined by pymorphy3 (OpenCorpora's dictionary of Russian). Its analyzer takes about
0.2 s and 40 MB to load, so it is loaded on the first name declined, never at start-up; a word it
does not know stays as written (the nominative), which reads better than a wrong guess.
"""
from __future__ import annotations

import re
from functools import lru_cache

PARTS = ("деталь", "детали", "деталей")
ROWS = ("строка", "строки", "строк")
DEALS = ("сделка", "сделки", "сделок")
ORDERS = ("заказ", "заказа", "заказов")
BOARDS = ("лист", "листа", "листов")
DAYS = ("день", "дня", "дней")
FILES = ("файл", "файла", "файлов")
TASKS = ("задача", "задачи", "задач")

GENITIVE, DATIVE, ACCUSATIVE, INSTRUMENTAL = "gent", "datv", "accs", "ablt"
_NAME_TAGS = ("Name", "Surn", "Patr")


def plural(count: int, forms: tuple[str, str, str]) -> str:
    """The Russian form for ``count``: forms of 1, 2–4 and 5+ («сделка», «сделки», «сделок»)."""
    tail = abs(count) % 100
    if 11 <= tail <= 14:
        return forms[2]
    last = tail % 10
    if last == 1:
        return forms[0]
    if 2 <= last <= 4:
        return forms[1]
    return forms[2]


def count_text(count: int, forms: tuple[str, str, str]) -> str:
    """«1 строка», «2 детали», «21 деталь», «11 деталей»."""
    return f"{count} {plural(count, forms)}"


def parts_text(rows: int, pieces: int) -> str:
    """What a parts list holds, rows and pieces both named: «6 строк, 21 деталь»."""
    return f"{count_text(rows, ROWS)}, {count_text(pieces, PARTS)}"


@lru_cache(maxsize=1)
def _analyzer():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _match_case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _gender(words: list[str]) -> str | None:
    """The gender a person's first name (or patronymic) tells, if any word is one."""
    for word in words:
        for parse in _analyzer().parse(word):
            if parse.is_known and ("Name" in parse.tag or "Patr" in parse.tag) and "nomn" in parse.tag:
                return parse.tag.gender
    return None


def _decline_word(word: str, case: str, gender: str | None, person: bool) -> str:
    """A word of a person's name declined when its likeliest reading (of that gender) is a nominative;
    a group's name («Магазины») is a nominative noun by definition."""
    parses = [p for p in _analyzer().parse(word) if p.is_known and "NOUN" in p.tag]
    if person:
        parses = [p for p in parses if any(tag in p.tag for tag in _NAME_TAGS)] or parses
        if gender:
            parses = [p for p in parses if p.tag.gender == gender] or parses
        parses = parses[:1]
    for parse in parses:
        if "nomn" in parse.tag:
            declined = parse.inflect({case, parse.tag.number or "sing"})
            if declined is not None:
                return _match_case(declined.word, word)
    return word


@lru_cache(maxsize=4096)  # the same few people and groups, over and over
def decline(phrase: str, case: str, *, person: bool = True) -> str:
    """``phrase`` (a person's name «Татьяна Смирнова», or with ``person=False`` a group «Конструктор»)
    in ``case`` (GENITIVE …); words the dictionary does not know are kept as written."""
    words = re.findall(r"[А-Яа-яЁё]+", phrase)
    if not words:
        return phrase
    gender = _gender(words) if person else None
    return re.sub(r"[А-Яа-яЁё]+", lambda m: _decline_word(m.group(0), case, gender, person), phrase)
