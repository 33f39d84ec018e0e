"""The one way the program splits a person's full name, as the shop writes it: surname first, a
former surname in brackets after it, then the first name and the patronymic:
«Иванова (Румянцева) София Леонидовна»."""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.bed_models import detect_model


@dataclass(frozen=True)
class PersonName:
    surname: str  # with a former one: «Иванова (Румянцева)»
    given: tuple[str, ...]  # the first name and the patronymic, as written

    @classmethod
    def parse(cls, full_name: str | None) -> PersonName:
        words = (full_name or "").split()
        surname = words[:1]
        rest = words[1:]
        while rest and rest[0].startswith("("):
            surname.append(rest.pop(0))
        return cls(" ".join(surname), tuple(rest))

    @property
    def main_surname(self) -> str:
        """The surname without a former one in brackets: «Иванова»."""
        return self.surname.split(" (")[0]

    @property
    def short(self) -> str:
        """«Иванова (Румянцева) С. Л.»: the surname and the initials."""
        initials = " ".join(f"{word[0].upper()}." for word in self.given[:2] if word[0].isalpha())
        return f"{self.surname} {initials}".strip()

    @property
    def address(self) -> str:
        """How the shop addresses the person: «София Леонидовна» (the first name alone if that is all)."""
        return " ".join(self.given[:2])


def quick_deal_names(typed: str, model: str = "") -> tuple[str, str]:
    """The contact's full name and the deal's name from the board's quick-add: «Петрова Анна» and
    «Замок» (or «Петрова Анна (Замок)» typed in one field) give the contact «Петрова Анна» and the
    deal «Петрова Анна (Замок)»; without a model the deal is named after the client. A bracket that
    holds a former surname («Иванова (Румянцева)») stays part of the name."""
    text = " ".join((typed or "").split())
    model = " ".join((model or "").split())
    trailing = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", text)
    if trailing and not model:
        before, inside = trailing.groups()
        if detect_model(inside) or len(before.split()) >= 2:
            text, model = before, inside.strip()
    return text, (f"{text} ({model})" if model else text)
