"""«Настройки → Почта…»: the shop's mailbox (shop-wide, in the database) and its password (this PC's
keyring, else a file only the user can read — never the settings, a log or a message)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from app.domain import validation
from app.domain.changes import Changes, Done
from app.domain.codes import Role
from app.domain.errors import FieldProblem, PermissionDeniedError, ValidationError
from app.domain.mail_account import SECURITY_NAMES, SSL, MailAccount
from app.store import setting_values
from app.store.connection_settings import config_dir
from app.store.db import database
from app.store.models import User
from app.store.password_store import PasswordStore

KEY = "mail.intake"
LABELS = {"host": "Сервер", "port": "Порт", "security": "Защита", "login": "Логин", "folder": "Папка",
          "interval_minutes": "Проверять каждые", "own_address": "Адрес магазина", "enabled": "Проверять почту",
          "password": "Пароль"}
TEXTS = ("host", "security", "login", "folder", "own_address")
NUMBERS = ("port", "interval_minutes")


@dataclass(frozen=True)
class MailSettings:
    host: str = ""
    port: int = 993
    security: str = SSL
    login: str = ""
    folder: str = "INBOX"
    interval_minutes: int = 5
    own_address: str = ""  # the shop's own address: its letters are not leads ("" — the login)
    enabled: bool = True  # read the mailbox in the background

    @property
    def configured(self) -> bool:
        return bool(self.host and self.login)

    @property
    def password_key(self) -> str:
        return f"imap:{self.login}@{self.host}:{self.port}"

    @property
    def own_addresses(self) -> frozenset[str]:
        """Addresses whose letters are the shop's own (the login when it is an address)."""
        return frozenset(a.lower() for a in (self.own_address, self.login) if "@" in a)

    def account(self, password: str = "") -> MailAccount:
        return MailAccount(self.host, self.port, self.security, self.login, password, self.folder or "INBOX")


def _passwords() -> PasswordStore:
    return PasswordStore(config_dir() / "secrets.json")


def load() -> MailSettings:
    """The shop's mailbox settings (empty ones until the administrator sets them)."""
    stored = setting_values.read(KEY, {})
    known = {f.name for f in fields(MailSettings)}
    try:
        return MailSettings(**{k: v for k, v in (stored or {}).items() if k in known})
    except TypeError:
        return MailSettings()


def _wrong_types(settings: MailSettings) -> list[FieldProblem]:
    """Fields that are not even of their kind (text, a whole number, yes or no)."""
    if not isinstance(settings, MailSettings):
        return [FieldProblem("host", "настройки не заданы")]
    found = [FieldProblem(key, "нужен текст") for key in TEXTS if not isinstance(getattr(settings, key), str)]
    found += [FieldProblem(key, "нужно целое число") for key in NUMBERS
              if not isinstance(getattr(settings, key), int) or isinstance(getattr(settings, key), bool)]
    if not isinstance(settings.enabled, bool):
        found.append(FieldProblem("enabled", "да или нет"))
    return found


def problems(settings: MailSettings) -> list[FieldProblem]:
    """What is wrong in ``settings`` (the dialog shows each beside its field)."""
    found = _wrong_types(settings)
    if found:
        return found
    for key in ("host", "login", "folder", "own_address"):
        try:
            validation.clean_text(getattr(settings, key))
        except validation.FieldError as error:
            found.append(FieldProblem(key, str(error)))
    if found:
        return found
    if not settings.host.strip():
        found.append(FieldProblem("host", "укажите сервер, например imap.gmail.com"))
    if not 1 <= int(settings.port) <= 65535:
        found.append(FieldProblem("port", "порт — число от 1 до 65535"))
    if settings.security not in SECURITY_NAMES:
        found.append(FieldProblem("security", "выберите защиту из списка"))
    if not settings.login.strip():
        found.append(FieldProblem("login", "укажите логин (обычно адрес ящика)"))
    if not 1 <= int(settings.interval_minutes) <= 24 * 60:
        found.append(FieldProblem("interval_minutes", "от 1 до 1440 минут"))
    if settings.own_address.strip():
        try:
            validation.clean_email(settings.own_address)
        except validation.FieldError as error:
            found.append(FieldProblem("own_address", str(error)))
    return found


def save(actor: User | None, settings: MailSettings, password: str | None = None) -> Done[str]:
    """Store the mailbox settings (administrator only) and, when given, the password on this PC;
    the value says where the password went (for the dialog)."""
    if actor is not None and actor.role != Role.ADMIN:
        raise PermissionDeniedError("Почтовый ящик магазина настраивает только администратор.")
    found = _wrong_types(settings)
    if password is not None:
        try:
            validation.clean_text(password)
        except validation.FieldError as error:
            found.append(FieldProblem("password", str(error)))
    if not found:
        settings = replace(settings, host=settings.host.strip(), login=settings.login.strip(),
                           folder=settings.folder.strip() or "INBOX", own_address=settings.own_address.strip().lower())
        found = problems(settings)
    if found:
        raise ValidationError([FieldProblem(LABELS.get(p.field, p.field), p.message) for p in found],
                              "Проверьте настройки почты")
    with database.atomic():
        setting_values.write(KEY, asdict(settings))
    where = _passwords().set(settings.password_key, password) if password else ""
    return Done(where, Changes(settings=True))


def password(settings: MailSettings) -> str | None:
    """The mailbox password kept on this PC (None: not set here)."""
    return _passwords().get(settings.password_key) if settings.configured else None


def account() -> MailAccount | None:
    """The mailbox to read from this PC, password included (None: not set up, or no password here)."""
    settings = load()
    secret = password(settings)
    if not settings.configured or secret is None:
        return None
    return settings.account(secret)
