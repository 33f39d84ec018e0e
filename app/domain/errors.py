"""Errors the services raise; each carries a Russian message for the user."""
from __future__ import annotations

from dataclasses import dataclass

from app.domain.labels import label


@dataclass(frozen=True)
class FieldProblem:
    """One field that is missing or wrong, with the message to show beside it."""

    field: str
    message: str

    @property
    def label(self) -> str:
        return label(self.field)


class ServiceError(Exception):
    """A refused user action; ``str(error)`` is the Russian message."""


class NotFoundError(ServiceError):
    pass


DEAL_NOT_FOUND = "Сделка не найдена (возможно, удалена на другом компьютере)"
TASK_NOT_FOUND = "Задача не найдена (возможно, удалена на другом компьютере)"


class ValidationError(ServiceError):
    """Some fields are missing or wrong; nothing was changed."""

    def __init__(self, problems: list[FieldProblem], title: str = "Проверьте поля") -> None:
        self.problems = problems
        lines = "; ".join(f"{p.label}: {p.message}" for p in problems)
        super().__init__(f"{title}: {lines}")

    @property
    def fields(self) -> list[str]:
        return [problem.field for problem in self.problems]


class GateError(ValidationError):
    """The stage's gate refused the move; ``problems`` lists the missing or invalid fields."""

    def __init__(self, stage_name: str, problems: list[FieldProblem]) -> None:
        self.stage_name = stage_name
        super().__init__(problems, f"Для этапа «{stage_name}» нужно заполнить")


class ConflictError(ServiceError):
    """The row was changed on another PC since it was read."""


class ConnectionLostError(ServiceError):
    """The database server could not be reached; the action was not stored (nothing half-written)."""

    MESSAGE = ("Нет связи с сервером базы данных. Действие не сохранено, введённые данные остались "
               "в окне — повторите, когда связь восстановится.")

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)


class PermissionDeniedError(ServiceError):
    pass
