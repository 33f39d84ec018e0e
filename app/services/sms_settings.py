"""The administrator's SMS settings: gateway, sender, quiet hours, shop phone (shop-wide), the gateway's
key (this PC's keyring), and the SMS templates."""
from __future__ import annotations

import re

from app.domain.changes import Changes, Done
from app.domain.codes import Role
from app.domain.errors import FieldProblem, PermissionDeniedError, ServiceError, ValidationError
from app.domain.sms_rules import GATEWAY_NAMES, SETTINGS_KEY, TEMPLATES_KEY, SmsSettings, parse_hhmm
from app.domain.sms_text import template_problems
from app.domain.validation import FieldError, checked_text, clean_text
from app.services.sms import templates
from app.store import secrets, setting_values
from app.store.db import database
from app.store.models import User

SENDER = re.compile(r"^[A-Za-z0-9 .\-]{0,11}$")
URL = re.compile(r"^https?://[^\s\x00-\x1f\x7f]+$")


def _require_admin(actor: User | None) -> None:
    if actor is None or actor.role != Role.ADMIN:
        raise PermissionDeniedError("Настройки СМС меняет администратор")


def _problems(settings: SmsSettings) -> list[FieldProblem]:
    if not isinstance(settings, SmsSettings):
        return [FieldProblem("sms.gateway", "настройки не заданы")]
    problems = []
    if not isinstance(settings.gateway, str) or settings.gateway not in GATEWAY_NAMES:
        problems.append(FieldProblem("sms.gateway", "выберите шлюз из списка"))
    if settings.gateway == "smsc" and isinstance(settings.login, str) and not settings.login.strip():
        problems.append(FieldProblem("sms.login", "нужен логин SMSC.ru"))
    for key in ("test_mode", "auto_send"):
        if not isinstance(getattr(settings, key), bool):
            problems.append(FieldProblem(f"sms.{key}", "да или нет"))
    base_url = settings.base_url
    if not isinstance(base_url, str) or base_url.strip() and not URL.match(base_url.strip()):
        problems.append(FieldProblem("sms.base_url", "адрес вида https://… или пусто"))
    if not isinstance(settings.sender, str) or not SENDER.match(settings.sender):
        problems.append(FieldProblem("sms.sender", "до 11 латинских букв и цифр, как согласовано со шлюзом"))
    for key in ("quiet_from", "quiet_to"):
        try:
            parse_hhmm(getattr(settings, key))
        except (ValueError, AttributeError, TypeError):
            problems.append(FieldProblem(f"sms.{key}", "время в виде ЧЧ:ММ, например 21:00"))
    for key in ("login", "shop_phone"):
        try:
            clean_text(getattr(settings, key), key=f"sms.{key}")
        except FieldError as error:
            problems.append(FieldProblem(f"sms.{key}", str(error)))
    return problems


def has_key(settings: SmsSettings) -> bool:
    """Whether this PC holds the key of the settings' gateway."""
    return bool(secrets.store().get(settings.secret_key))


def save_settings(actor: User | None, settings: SmsSettings, key: str | None = None) -> Done[str]:
    """Store the shop's SMS settings and (when ``key`` is given) this PC's gateway key; the value says
    where the key went («в системном хранилище паролей»)."""
    _require_admin(actor)
    problems = _problems(settings)
    if key is not None:
        try:
            clean_text(key, key="sms.key")
        except FieldError as error:
            problems.append(FieldProblem("sms.key", str(error)))
    if problems:
        raise ValidationError(problems, "Проверьте настройки СМС")
    with database.atomic():
        setting_values.write(SETTINGS_KEY, settings.to_dict())
    where = secrets.store().set(settings.secret_key, key.strip()) if key and key.strip() else ""
    return Done(where, Changes(settings=True, sms=True))


def save_template(actor: User | None, name: str, text: str) -> Changes:
    """Add or change a template (the program's own ones are overridden, not lost)."""
    _require_admin(actor)
    name = checked_text(name, "sms.template", required=True, multiline=False)
    text = checked_text(text, "sms.template_text", required=True)
    problems = template_problems(text)
    if problems:
        raise ServiceError(f"Шаблон «{name}»: {'; '.join(problems)}")
    with database.atomic():
        edited = {**setting_values.read(TEMPLATES_KEY, {}), name: text.strip()}
        setting_values.write(TEMPLATES_KEY, edited)
    return Changes(settings=True, sms=True)


def reset_template(actor: User | None, name: str) -> Changes:
    """Drop the shop's version: a program template goes back to its text, a shop's own one is deleted."""
    _require_admin(actor)
    if not isinstance(name, str) or name not in templates():
        raise ServiceError(f"Шаблон «{name}» не найден")
    with database.atomic():
        edited = {k: v for k, v in setting_values.read(TEMPLATES_KEY, {}).items() if k != name}
        setting_values.write(TEMPLATES_KEY, edited)
    return Changes(settings=True, sms=True)
