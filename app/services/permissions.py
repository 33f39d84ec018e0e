"""Who may do what: the rules table, its defaults, and the one check every service calls.

An action is a code: ``move:<stage code>`` (move a deal into that stage), ``passport.view``,
``passport.edit``, ``budget.edit``, ``users.manage``, ``export``, ``audit.view``. Each maps to the
roles allowed. The administrator may change the roles of any action (stored as JSON in the
``Setting`` row ``permissions``, only the actions that differ from the defaults); the administrator
role itself always has every right, so the shop can never lock itself out.

Defaults (docs/process.md; where the guide is silent, the choice is said here):
- sales stages «Неразобранное» … «Оплачено»: managers. The designer may also move into the design
  stages «Согласование дизайна», «Дизайн» and «Согласование БЗ» (the design loop ends by handing the
  deal back to the manager at «Согласование БЗ»);
- «Раскрой»: managers (they hand a paid order to production) and the constructor;
- «Производство»: the constructor (documentation and cut sheets are ready);
- workshop stages «Распил» … «Упаковка» and «Отгружено»: the production chief;
- «Доставлено»: managers (the client confirmed receipt) and the production chief (the assemblers
  report to him);
- closed stages «Успешно реализовано», «Закрыто и не реализовано»: managers;
- passport data, seen and changed; budgets and payments; export: managers;
- users, permissions and the audit log: the administrator only;
- creating and cancelling cut sheets: the constructor;
- the client's papers (invoice, order form; the contract also needs the passport right): managers
  (the shop's requisites, document templates and outgoing mail are shop settings: the administrator);
- «Аналитика»: the sales part (funnel, sources, people) and the money for managers; the workshop
  part (time in stages, throughput, lead time) for managers and the production chief.

``actor`` None is the system itself (imports, demo, tests): always allowed.
"""
from __future__ import annotations

from app.domain import pipeline
from app.domain.changes import Changes, Done
from app.domain.codes import Role
from app.domain.errors import PermissionDeniedError, ServiceError
from app.services.timeline import audit
from app.store import setting_values
from app.store.db import database
from app.store.models import User

SETTING_KEY = "permissions"

PASSPORT_VIEW = "passport.view"
PASSPORT_EDIT = "passport.edit"
BUDGET_EDIT = "budget.edit"
USERS_MANAGE = "users.manage"
EXPORT = "export"
AUDIT_VIEW = "audit.view"
CUT_SHEETS = "cutsheets.edit"
OFFCUTS_WRITE_OFF = "offcuts.write_off"
PAPERS = "papers.make"
SETTINGS_MANAGE = "settings.manage"
ANALYTICS_SALES = "analytics.sales"
ANALYTICS_MONEY = "analytics.money"
ANALYTICS_WORKSHOP = "analytics.workshop"
ANALYTICS = (ANALYTICS_SALES, ANALYTICS_MONEY, ANALYTICS_WORKSHOP)

MANAGER, DESIGNER, CONSTRUCTOR, CHIEF, ADMIN = (Role.MANAGER, Role.DESIGNER, Role.CONSTRUCTOR,
                                                Role.PRODUCTION_CHIEF, Role.ADMIN)
# roles whose rights the administrator can change (the administrator has all rights)
EDITABLE_ROLES = (MANAGER, DESIGNER, CONSTRUCTOR, CHIEF)


def move_action(stage_code: str) -> str:
    """The action of moving a deal into ``stage_code``."""
    return f"move:{stage_code}"


def _stage_defaults() -> dict[str, frozenset[str]]:
    special = {
        "design_agreement": {MANAGER, DESIGNER},
        "design": {MANAGER, DESIGNER},
        "order_form": {MANAGER, DESIGNER},
        "cutting": {MANAGER, CONSTRUCTOR},
        "production": {CONSTRUCTOR},
        "shipped": {CHIEF},
        "delivered": {MANAGER, CHIEF},
    }
    rules = {}
    for stage in pipeline.STAGES:
        if stage.code in special:
            roles = special[stage.code]
        elif stage.code in pipeline.WORKSHOP_STAGES:
            roles = {CHIEF}
        else:  # the other sales stages and the closed ones
            roles = {MANAGER}
        rules[move_action(stage.code)] = frozenset(roles)
    return rules


DEFAULTS: dict[str, frozenset[str]] = {
    **_stage_defaults(),
    PASSPORT_VIEW: frozenset({MANAGER}),
    PASSPORT_EDIT: frozenset({MANAGER}),
    BUDGET_EDIT: frozenset({MANAGER}),
    EXPORT: frozenset({MANAGER}),
    USERS_MANAGE: frozenset(),
    AUDIT_VIEW: frozenset(),
    CUT_SHEETS: frozenset({CONSTRUCTOR}),
    OFFCUTS_WRITE_OFF: frozenset(),
    PAPERS: frozenset({MANAGER}),
    SETTINGS_MANAGE: frozenset(),
    ANALYTICS_SALES: frozenset({MANAGER}),
    ANALYTICS_MONEY: frozenset({MANAGER}),
    ANALYTICS_WORKSHOP: frozenset({MANAGER, CHIEF}),
}

ACTION_NAMES: dict[str, str] = {
    **{move_action(stage.code): f"Перевод сделки в этап «{stage.name}»" for stage in pipeline.STAGES},
    PASSPORT_VIEW: "Просмотр паспортных данных",
    PASSPORT_EDIT: "Изменение паспортных данных",
    BUDGET_EDIT: "Изменение бюджета и оплат сделки",
    EXPORT: "Выгрузка данных",
    USERS_MANAGE: "Управление пользователями и правами",
    AUDIT_VIEW: "Просмотр журнала доступа",
    CUT_SHEETS: "Создание и аннулирование листов раскроя",
    OFFCUTS_WRITE_OFF: "Списание деловых остатков",
    PAPERS: "Счета, договоры и бланки заказа для клиента",
    SETTINGS_MANAGE: "Изменение настроек магазина",
    ANALYTICS_SALES: "Аналитика продаж: воронка, источники, задачи сотрудников",
    ANALYTICS_MONEY: "Аналитика денег: бюджеты, предоплаты, задолженности",
    ANALYTICS_WORKSHOP: "Аналитика цеха: время на этапах, выпуск, сроки отгрузки",
}

# deal fields whose change needs a right of its own
FIELD_ACTIONS = {
    "passport.series": PASSPORT_EDIT,
    "passport.number": PASSPORT_EDIT,
    "budget": BUDGET_EDIT,
    "prepayment": BUDGET_EDIT,
    "debt": BUDGET_EDIT,
}


def _stored() -> dict[str, list[str]]:
    stored = setting_values.read(SETTING_KEY, {})
    if not isinstance(stored, dict):
        return {}
    return {action: roles for action, roles in stored.items() if action in DEFAULTS}


def rules() -> dict[str, frozenset[str]]:
    """Every action with the roles allowed now (defaults overridden by the administrator's changes)."""
    current = dict(DEFAULTS)
    for action, roles in _stored().items():
        current[action] = frozenset(role for role in roles if role in EDITABLE_ROLES)
    return current


def roles_for(action: str) -> frozenset[str]:
    """The roles allowed ``action`` (the administrator included)."""
    if action not in DEFAULTS:
        raise KeyError(f"Неизвестное действие: {action}")
    stored = _stored()
    roles = frozenset(stored[action]) if action in stored else DEFAULTS[action]
    return roles | {ADMIN}


def allowed(actor: User | None, action: str) -> bool:
    """Whether ``actor`` may do ``action`` (None, the system, always may)."""
    if actor is None:
        return True
    return bool(actor.active) and actor.role in roles_for(action)


def _role_list(roles: frozenset[str]) -> str:
    order = list(Role.NAMES)
    return ", ".join(Role.NAMES[role] for role in sorted(roles, key=order.index))


def require(actor: User | None, action: str) -> None:
    """Raise PermissionDeniedError (a Russian message) unless ``actor`` may do ``action``."""
    if allowed(actor, action):
        return
    if not actor.active:
        raise PermissionDeniedError(f"Пользователь «{actor.full_name}» отключён администратором.")
    raise PermissionDeniedError(
        f"Недостаточно прав. {ACTION_NAMES[action]} — только для ролей: "
        f"{_role_list(roles_for(action))}. Вы вошли как {actor.full_name} ({actor.role_name}).")


def require_fields(actor: User | None, changed_keys) -> None:
    """Check the rights that changing the deal fields ``changed_keys`` needs."""
    for action in sorted({FIELD_ACTIONS[key] for key in changed_keys if key in FIELD_ACTIONS}):
        require(actor, action)


def set_roles(actor: User | None, action: str, roles) -> Done[dict[str, frozenset[str]]]:
    """The administrator changes which roles may do ``action``; returns the new rules."""
    require(actor, USERS_MANAGE)
    if not isinstance(action, str) or action not in DEFAULTS:
        raise ServiceError("Неизвестное действие — выберите из списка прав")
    if not isinstance(roles, (list, tuple, set, frozenset)) or not all(isinstance(role, str) for role in roles):
        raise ServiceError("Роли: выберите из списка ролей")
    roles = sorted({role for role in roles if role in EDITABLE_ROLES}, key=list(Role.NAMES).index)
    with database.atomic():
        stored = _stored()
        if frozenset(roles) == DEFAULTS[action]:
            stored.pop(action, None)
        else:
            stored[action] = roles
        setting_values.write(SETTING_KEY, stored)
        audit(actor, "permissions_change", None,
              f"{ACTION_NAMES[action]}: {_role_list(frozenset(roles) | {ADMIN})}")
    return Done(rules(), Changes(users=True, audit=True))
