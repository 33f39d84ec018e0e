"""The one way the program splits a person's full name, as the shop writes it: surname first, a
former surname in brackets after it, then the first name and the patronymic:
«Иванова (Румянцева) София Леонидовна»."""
from __future__ import annotations

from dataclasses import dataclass


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
