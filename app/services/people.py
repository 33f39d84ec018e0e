"""Looking up users and groups, and resolving who an automatic task goes to."""
from __future__ import annotations

from app.domain import pipeline
from app.domain.codes import Role
from app.store.models import Deal, Group, User, UserGroup


def group_named(name: str) -> Group:
    """The group called ``name``, created on first use."""
    group, _ = Group.get_or_create(name=name)
    return group


def members(group: Group) -> list[User]:
    """Active users of ``group``."""
    return list(User.select().join(UserGroup).where(UserGroup.group == group, User.active)
                .order_by(User.id))


def groups_of(user: User) -> list[Group]:
    return list(Group.select().join(UserGroup).where(UserGroup.user == user).order_by(Group.name))


def first_active(role: str) -> User | None:
    """The first active user with ``role`` (lowest id), if any."""
    return User.select().where(User.role == role, User.active).order_by(User.id).first()


def create_user(login: str, full_name: str, role: str, *, groups: list[str] | None = None,
                password_hash: str | None = None) -> User:
    """A user, put into their role's group and any ``groups`` named."""
    user = User.create(login=login, full_name=full_name, role=role, password_hash=password_hash)
    names = set(groups or [])
    if role in pipeline.ROLE_GROUPS:
        names.add(pipeline.ROLE_GROUPS[role])
    for name in sorted(names):
        UserGroup.create(user=user, group=group_named(name))
    return user


def addressee(deal: Deal, to: str) -> tuple[User | None, Group | None]:
    """(user, group) for an automatic task addressed ``to`` (TO_MANAGER or a group name)."""
    if to == pipeline.TO_MANAGER:
        manager = deal.manager
        if manager is not None and manager.active:
            return manager, None
        return None, group_named(pipeline.GROUP_SHOPS)
    return None, group_named(to)


def responsible_for(deal: Deal, who: str) -> User | None:
    """The new responsible when a stage sets one ("designer" or "manager")."""
    if who == "designer":
        return first_active(Role.DESIGNER)
    if who == "manager":
        return deal.manager
    raise ValueError(who)
