"""Signing in: argon2 hashes of passwords and PINs, the slowdown after wrong ones, the first start.

Only the argon2 hash is stored; the clear text is never stored, logged or put into a message.
Wrong passwords slow further attempts down: from the ``FREE_ATTEMPTS``-th wrong one in a row, the
user's next attempt is accepted only after a wait that doubles each time (``delay_after``), kept in
the database (``User.failed_logins``, ``User.login_not_before``) so it holds across restarts and PCs.
An attempt during the wait is refused without even checking the password.
"""
from __future__ import annotations

import math
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.domain import clock, validation
from app.domain.changes import Changes, Done
from app.domain.codes import Role
from app.domain.errors import ServiceError
from app.services.timeline import audit
from app.store import lookup
from app.store.db import database
from app.store.models import User

MIN_PIN_LENGTH = 4  # a PIN: at least 4 digits; a password: anything of at least 4 characters
MAX_SECRET_LENGTH = 128
FREE_ATTEMPTS = 3
FIRST_DELAY = timedelta(seconds=5)
MAX_DELAY = timedelta(minutes=15)

_hasher = PasswordHasher()  # argon2's recommended parameters (RFC 9106, low-memory profile)


def set_hasher(hasher: PasswordHasher) -> PasswordHasher:
    """Install ``hasher`` (tests: argon2's cheapest parameters); returns the previous one."""
    global _hasher
    previous, _hasher = _hasher, hasher
    return previous


class UserDataError(ServiceError):
    """A login, name, password or PIN that cannot be used."""


class SignInError(ServiceError):
    """Wrong login or password, or a user that may not sign in."""


class SignInDelayedError(SignInError):
    """Too many wrong passwords: the next attempt is accepted at ``not_before``."""

    def __init__(self, message: str, wait_seconds: int) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


def check_secret(secret: str) -> str:
    """The password or PIN if acceptable; UserDataError (in Russian) otherwise."""
    secret = "" if secret is None else secret
    if not isinstance(secret, str) or validation.has_control_characters(secret):
        raise UserDataError("Пароль или PIN — буквы, цифры и знаки, без управляющих символов.")
    if len(secret) > MAX_SECRET_LENGTH:
        raise UserDataError(f"Пароль — не длиннее {MAX_SECRET_LENGTH} знаков.")
    if len(secret) < MIN_PIN_LENGTH:
        raise UserDataError(f"Пароль или PIN — не короче {MIN_PIN_LENGTH} знаков.")
    if secret != secret.strip():
        raise UserDataError("Пароль не должен начинаться или заканчиваться пробелом.")
    return secret


def hash_secret(secret: str) -> str:
    """The argon2 hash of a password or PIN (checked first)."""
    return _hasher.hash(check_secret(secret))


def verify_secret(password_hash: str | None, secret: str) -> bool:
    """Whether ``secret`` matches ``password_hash`` (False for a user without one)."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, secret or "")
    except (VerificationError, InvalidHashError):
        return False


def delay_after(failed: int) -> timedelta:
    """The wait imposed after ``failed`` wrong passwords in a row."""
    if failed < FREE_ATTEMPTS:
        return timedelta(0)
    return min(FIRST_DELAY * 2 ** min(failed - FREE_ATTEMPTS, 16), MAX_DELAY)


def wait_seconds(user: User) -> int:
    """Seconds until ``user`` may try again (0: now)."""
    if user.login_not_before is None:
        return 0
    return max(0, math.ceil((user.login_not_before - clock.now()).total_seconds()))


def _wait_text(seconds: int) -> str:
    return f"{seconds} с" if seconds < 120 else f"{math.ceil(seconds / 60)} мин"


def sign_in(user_id: int, secret: str) -> Done[User]:
    """The user, if ``secret`` is their password or PIN; otherwise SignInError, and the wrong
    attempt is counted (and slows down the next ones)."""
    with database.atomic():
        # the user's row is locked until the attempt is counted, so parallel guesses queue and each
        # one meets the slowdown the previous ones earned (SQLite's write transactions queue anyway)
        user = lookup.by_id(User, user_id, lock=True)
        if user is None or not user.active:
            raise SignInError("Такого пользователя нет или он отключён администратором.")
        seconds = wait_seconds(user)
        if seconds:
            raise SignInDelayedError(
                f"Слишком много неверных паролей. Повторите через {_wait_text(seconds)}.", seconds)
        if not user.password_hash:
            raise SignInError("Пароль не задан. Попросите администратора задать пароль.")
        ok = verify_secret(user.password_hash, secret)
        if ok:
            User.update(failed_logins=0, login_not_before=None).where(User.id == user.id).execute()
            if _hasher.check_needs_rehash(user.password_hash):
                User.update(password_hash=_hasher.hash(secret)).where(User.id == user.id).execute()
            audit(user, "sign_in", None, "Вход в программу")
            return Done(User.get_by_id(user.id), Changes(audit=True))
        delay = _count_failure(user)
    message = "Неверный пароль."
    if delay:
        message += f" Следующая попытка — через {_wait_text(int(delay.total_seconds()))}."
    raise SignInError(message)


def _count_failure(user: User) -> timedelta:
    """Record one wrong password (inside the sign-in's transaction); returns the wait it earned."""
    failed = user.failed_logins + 1
    delay = delay_after(failed)
    User.update(failed_logins=failed, login_not_before=clock.now() + delay if delay else None
                ).where(User.id == user.id).execute()
    audit(user, "sign_in_failed", None, f"Неверный пароль ({failed}-й подряд)")
    return delay


def needs_first_admin() -> bool:
    """Whether the shop has no administrator who can sign in yet (the first start)."""
    return not User.select().where(User.role == Role.ADMIN, User.active,
                                   User.password_hash.is_null(False)).exists()


def sign_in_choices() -> list[User]:
    """The active users, for the sign-in list."""
    return list(User.select().where(User.active).order_by(User.full_name))
