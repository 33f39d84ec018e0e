"""The administrator's user management: add, rename, set role and groups, reset the password,
deactivate and reactivate. Users are never deleted: the history keeps their names."""
from __future__ import annotations

import re

from app.domain import pipeline, validation
from app.domain.changes import Changes, Done
from app.domain.codes import Role
from app.domain.errors import NotFoundError, ServiceError
from app.domain.labels import label
from app.services import people, permissions
from app.services.auth import UserDataError, hash_secret, needs_first_admin
from app.services.timeline import audit
from app.store import lookup
from app.store.db import database
from app.store.models import Group, User, UserGroup

LOGIN_RE = re.compile(r"^[a-z0-9._-]{2,32}$")
USERS_CHANGED = Changes(users=True, audit=True)


def clean_login(login: str) -> str:
    """A login: 2–32 lower-case Latin letters, digits, «.», «_» or «-»."""
    login = login.strip().lower() if isinstance(login, str) else ""
    if not LOGIN_RE.match(login):
        raise UserDataError("Имя входа: 2–32 латинские буквы, цифры, точка, дефис или подчёркивание.")
    return login


def clean_name(full_name: str, key: str = "full_name") -> str:
    """A person's (or a group's) name, tidied; UserDataError naming the field otherwise."""
    try:
        return validation.clean_text(full_name, key=key, required=True)
    except validation.FieldError as error:
        raise UserDataError(f"{label(key)}: {error}") from None


def _clean_groups(groups: object) -> list[str]:
    if not isinstance(groups, (list, tuple, set, frozenset)):
        raise UserDataError("Группы: нужен список названий.")
    return sorted({clean_name(name, "group") for name in groups if not (isinstance(name, str) and not name.strip())})


def _clean_role(role: str) -> str:
    if not isinstance(role, str) or role not in Role.NAMES:
        raise UserDataError("Выберите роль из списка.")
    return role


def _get(user_id: int) -> User:
    user = lookup.by_id(User, user_id)
    if user is None:
        raise NotFoundError("Пользователь не найден")
    return user


def _keep_an_admin(user: User) -> None:
    """Refuse to leave the shop without an active administrator."""
    others = User.select().where(User.role == Role.ADMIN, User.active, User.id != user.id).exists()
    if user.role == Role.ADMIN and user.active and not others:
        raise ServiceError("Это последний администратор: сначала назначьте администратором другого.")


def _save(user: User, **changes) -> Done[User]:
    User.update(version=User.version + 1, **changes).where(User.id == user.id).execute()
    return Done(User.get_by_id(user.id), USERS_CHANGED)


def add_user(actor: User | None, login: str, full_name: str, role: str, secret: str,
             groups: list[str] | None = None) -> Done[User]:
    """A new user with a password or PIN, in their role's group and any ``groups``."""
    permissions.require(actor, permissions.USERS_MANAGE)
    login, full_name, role = clean_login(login), clean_name(full_name), _clean_role(role)
    groups = _clean_groups(groups) if groups is not None else None
    password_hash = hash_secret(secret)
    with database.atomic():
        if User.select().where(User.login == login).exists():
            raise UserDataError(f"Имя входа «{login}» уже занято.")
        user = people.create_user(login, full_name, role, groups=groups, password_hash=password_hash)
        audit(actor, "user_add", None, f"{full_name} ({login}), {Role.NAMES[role]}")
        return Done(user, USERS_CHANGED)


def rename_user(actor: User | None, user_id: int, full_name: str) -> Done[User]:
    permissions.require(actor, permissions.USERS_MANAGE)
    full_name = clean_name(full_name)
    with database.atomic():
        user = _get(user_id)
        audit(actor, "user_change", None, f"{user.full_name} → {full_name}")
        return _save(user, full_name=full_name)


def set_role(actor: User | None, user_id: int, role: str) -> Done[User]:
    """Change the role; the user joins the new role's group (other groups stay)."""
    permissions.require(actor, permissions.USERS_MANAGE)
    role = _clean_role(role)
    with database.atomic():
        user = _get(user_id)
        if role != Role.ADMIN:
            _keep_an_admin(user)
        if role in pipeline.ROLE_GROUPS:
            UserGroup.insert(user=user, group=people.group_named(pipeline.ROLE_GROUPS[role])
                             ).on_conflict_ignore().execute()
        audit(actor, "user_change", None, f"{user.full_name}: роль {Role.NAMES[role]}")
        return _save(user, role=role)


def set_groups(actor: User | None, user_id: int, groups: list[str]) -> Done[User]:
    """The groups the user belongs to (tasks addressed to a group reach its members)."""
    permissions.require(actor, permissions.USERS_MANAGE)
    names = _clean_groups(groups)
    with database.atomic():
        user = _get(user_id)
        UserGroup.delete().where(UserGroup.user == user).execute()
        for name in names:
            UserGroup.create(user=user, group=people.group_named(name))
        audit(actor, "user_change", None, f"{user.full_name}: группы {', '.join(names) or '—'}")
        return _save(user)


def edit_user(actor: User | None, user_id: int, *, full_name: str, role: str, groups: list[str]) -> Done[User]:
    """The «Изменить» form: name, role and groups together, in one transaction."""
    permissions.require(actor, permissions.USERS_MANAGE)
    with database.atomic():
        user = _get(user_id)
        if clean_name(full_name) != user.full_name:
            rename_user(actor, user_id, full_name)
        if role != user.role:
            set_role(actor, user_id, role)
            groups = list(groups) + [pipeline.ROLE_GROUPS[role]] if role in pipeline.ROLE_GROUPS else groups
        if sorted(set(groups)) != sorted(g.name for g in people.groups_of(user)):
            set_groups(actor, user_id, groups)
        return Done(User.get_by_id(user_id), USERS_CHANGED)


def reset_password(actor: User | None, user_id: int, secret: str) -> Done[User]:
    """A new password or PIN (the administrator's reset); also lifts the sign-in slowdown."""
    permissions.require(actor, permissions.USERS_MANAGE)
    password_hash = hash_secret(secret)
    with database.atomic():
        user = _get(user_id)
        audit(actor, "user_password", None, f"{user.full_name}: задан новый пароль")
        return _save(user, password_hash=password_hash, failed_logins=0, login_not_before=None)


def set_active(actor: User | None, user_id: int, active: bool) -> Done[User]:
    """Deactivate (the user can no longer sign in, gets no tasks) or reactivate a user."""
    permissions.require(actor, permissions.USERS_MANAGE)
    if not isinstance(active, bool):
        raise UserDataError("Включён: да или нет.")
    with database.atomic():
        user = _get(user_id)
        if not active:
            if actor is not None and actor.id == user.id:
                raise ServiceError("Нельзя отключить самого себя.")
            _keep_an_admin(user)
        audit(actor, "user_change", None, f"{user.full_name}: {'включён' if active else 'отключён'}")
        return _save(user, active=active)


def list_users(actor: User | None) -> list[User]:
    """Everybody, active first, for the «Пользователи» screen."""
    permissions.require(actor, permissions.USERS_MANAGE)
    return list(User.select().order_by(User.active.desc(), User.full_name))


def group_names() -> list[str]:
    """The names of all groups plus the role groups (even before their first member)."""
    return sorted({group.name for group in Group.select()} | set(pipeline.ROLE_GROUPS.values()))


def create_first_admin(login: str, full_name: str, secret: str) -> Done[User]:
    """The first start: the administrator, only while ``needs_first_admin``."""
    login, full_name = clean_login(login), clean_name(full_name)
    password_hash = hash_secret(secret)
    with database.atomic():
        if not needs_first_admin():
            raise ServiceError("Администратор уже создан. Войдите под ним.")
        existing = User.get_or_none(User.login == login)
        if existing is not None:  # an administrator left without a password by an older version
            if existing.role != Role.ADMIN:
                raise ServiceError(f"Имя входа «{login}» уже занято")
            User.update(full_name=full_name, password_hash=password_hash, active=True,
                        version=User.version + 1).where(User.id == existing.id).execute()
            user = User.get_by_id(existing.id)
        else:
            user = people.create_user(login, full_name, Role.ADMIN, password_hash=password_hash)
        audit(user, "user_add", None, f"Первый запуск: создан администратор {user.full_name}")
        return Done(user, USERS_CHANGED)
