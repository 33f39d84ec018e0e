"""Signing in: hashes only, slowdown after wrong passwords (kept in the database), the first start;
the administrator's user management."""
from __future__ import annotations

from datetime import timedelta

import argon2
import pytest

from app.domain.codes import Role
from app.domain.errors import ServiceError
from app.services import auth, deals, users
from app.store import migrations
from app.store.connection import open_database
from app.store.db import close_database
from app.store.models import AuditEntry, Task, User
from tests.domain.helpers import new_deal, run_together


def _raw_dump(db) -> str:
    """Every value of every table, as text (to look for a clear-text password)."""
    from app.store.models import ALL_MODELS

    return repr([list(model.select().tuples()) for model in ALL_MODELS])


def test_password_stored_only_as_argon2_hash(db, staff):
    user = users.add_user(staff["admin"], "irina", "Ирина", Role.MANAGER, "Секрет-2025").value
    stored = User.get_by_id(user.id).password_hash
    assert stored.startswith("$argon2id$") and "Секрет-2025" not in _raw_dump(db)
    assert auth.sign_in(user.id, "Секрет-2025").value.id == user.id
    with pytest.raises(auth.SignInError, match="Неверный пароль"):
        auth.sign_in(user.id, "секрет-2025")
    assert "Секрет-2025" not in _raw_dump(db) and "секрет-2025" not in _raw_dump(db)


def test_the_program_hashes_with_argon2s_recommended_parameters(staff, production_hasher):
    """Tests run with the cheapest parameters; the program itself keeps argon2's recommended ones."""
    recommended = argon2.profiles.RFC_9106_LOW_MEMORY  # what PasswordHasher() uses by default
    assert argon2.extract_parameters(auth.hash_secret("4711")) == argon2.profiles.CHEAPEST
    cheapest = auth.set_hasher(production_hasher)
    try:
        user = users.add_user(staff["admin"], "irina", "Ирина", Role.MANAGER, "Секрет-2025").value
        assert argon2.extract_parameters(User.get_by_id(user.id).password_hash) == recommended
        assert auth.sign_in(user.id, "Секрет-2025").value.id == user.id
    finally:
        auth.set_hasher(cheapest)


def test_short_pin_works_and_too_short_is_refused(staff):
    user = users.add_user(staff["admin"], "pin", "Цех", Role.PRODUCTION_CHIEF, "4711").value
    assert auth.sign_in(user.id, "4711").value.login == "pin"
    with pytest.raises(auth.UserDataError, match="не короче 4"):
        users.reset_password(staff["admin"], user.id, "123")


def test_wrong_passwords_slow_down_and_survive_restart(db_url, db, staff, fake_clock):
    user = users.add_user(staff["admin"], "irina", "Ирина", Role.MANAGER, "верный").value
    for attempt in range(auth.FREE_ATTEMPTS - 1):
        with pytest.raises(auth.SignInError) as wrong:
            auth.sign_in(user.id, "нет")
        assert "через" not in str(wrong.value)
    with pytest.raises(auth.SignInError, match="через 5 с"):
        auth.sign_in(user.id, "нет")
    # even the right password waits; the restart (a new connection) keeps the wait
    close_database()
    open_database(db_url)
    with pytest.raises(auth.SignInDelayedError, match="Повторите через 5 с") as delayed:
        auth.sign_in(user.id, "верный")
    assert delayed.value.wait_seconds == 5
    fake_clock.advance(timedelta(seconds=5))
    with pytest.raises(auth.SignInError, match="через 10 с"):  # doubles
        auth.sign_in(user.id, "нет")
    fake_clock.advance(timedelta(seconds=9))
    with pytest.raises(auth.SignInDelayedError, match="1 с"):
        auth.sign_in(user.id, "верный")
    fake_clock.advance(timedelta(seconds=1))
    assert auth.sign_in(user.id, "верный").value.failed_logins == 0
    assert User.get_by_id(user.id).login_not_before is None
    assert AuditEntry.select().where(AuditEntry.action == "sign_in_failed").count() == 4


def test_delay_is_capped():
    assert auth.delay_after(auth.FREE_ATTEMPTS - 1) == timedelta(0)
    assert auth.delay_after(50) == auth.MAX_DELAY


def test_admin_reset_lifts_the_slowdown(staff, fake_clock):
    user = users.add_user(staff["admin"], "irina", "Ирина", Role.MANAGER, "верный").value
    for _ in range(auth.FREE_ATTEMPTS):
        with pytest.raises(auth.SignInError):
            auth.sign_in(user.id, "нет")
    users.reset_password(staff["admin"], user.id, "новый1")
    assert auth.sign_in(user.id, "новый1").value.id == user.id


def test_first_start_creates_the_administrator_once(db, counts):
    assert auth.needs_first_admin() and auth.sign_in_choices() == []
    admin = users.create_first_admin("Boss", "Мария Ивановна", "пароль1").value
    assert (admin.login, admin.role) == ("boss", Role.ADMIN)
    assert not auth.needs_first_admin()
    with pytest.raises(ServiceError, match="уже создан"):
        users.create_first_admin("other", "Другой", "пароль2")
    assert auth.sign_in(admin.id, "пароль1").value.full_name == "Мария Ивановна"


def test_user_without_password_cannot_sign_in(staff):
    with pytest.raises(auth.SignInError, match="Пароль не задан"):
        auth.sign_in(staff["manager"].id, "")


def test_user_management(staff):
    admin = staff["admin"]
    user = users.add_user(admin, "Irina.K", "Ирина К", Role.MANAGER, "1234", groups=["Замерщики"]).value
    assert user.login == "irina.k"
    with pytest.raises(auth.UserDataError, match="занято"):
        users.add_user(admin, "irina.k", "Другая", Role.MANAGER, "1234")
    with pytest.raises(auth.UserDataError, match="Имя входа"):
        users.add_user(admin, "ирина", "Ирина", Role.MANAGER, "1234")
    user = users.rename_user(admin, user.id, "  Ирина   Козлова ").value
    assert user.full_name == "Ирина Козлова"
    user = users.set_role(admin, user.id, Role.DESIGNER).value
    from app.services.people import groups_of

    assert {g.name for g in groups_of(user)} == {"Магазины", "Дизайнер", "Замерщики"}
    users.set_groups(admin, user.id, ["Дизайнер"])
    assert [g.name for g in groups_of(user)] == ["Дизайнер"]
    users.set_active(admin, user.id, False)
    with pytest.raises(auth.SignInError, match="отключён"):
        auth.sign_in(user.id, "1234")
    assert User.get_by_id(user.id).full_name == "Ирина Козлова"  # never deleted
    users.set_active(admin, user.id, True)
    assert auth.sign_in(user.id, "1234").value.active


def test_last_admin_cannot_be_removed(staff):
    admin = staff["admin"]
    with pytest.raises(ServiceError, match="последний администратор"):
        users.set_role(admin, admin.id, Role.MANAGER)
    with pytest.raises(ServiceError, match="самого себя"):
        users.set_active(admin, admin.id, False)
    second = users.add_user(admin, "admin2", "Второй админ", Role.ADMIN, "1234").value
    users.set_role(second, admin.id, Role.MANAGER)
    assert User.get_by_id(admin.id).role == Role.MANAGER


def test_deactivated_manager_keeps_name_on_history_and_gets_no_tasks(staff):
    deal = new_deal(staff["manager"])
    users.set_active(staff["admin"], staff["manager"].id, False)
    result = deals.move_deal(deal.id, "first_contact", None)
    (task,) = result.tasks
    assert task.assignee_user_id is None and task.assignee_group.name == "Магазины"
    first = Task.select().where(Task.deal == deal.id).order_by(Task.id).first()
    assert first.assignee_user.full_name == "Татьяна"


def test_migration_adds_slowdown_columns_to_an_old_database(tmp_path, fake_clock, monkeypatch):
    path = tmp_path / "old.sqlite3"
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
    db = open_database(f"sqlite:///{path}")
    db.execute_sql("CREATE TABLE user_tmp AS SELECT id, login, full_name, role, password_hash, active, "
                   "created_at, version FROM user")
    db.execute_sql("DROP TABLE user")
    db.execute_sql("ALTER TABLE user_tmp RENAME TO user")
    db.execute_sql("INSERT INTO user (id, login, full_name, role, active, created_at, version) "
                   "VALUES (1, 'old', 'Старый', 'manager', 1, '2024-01-01', 1)")
    close_database()
    monkeypatch.undo()
    open_database(f"sqlite:///{path}")
    assert User.get_by_id(1).failed_logins == 0
    close_database()


def test_parallel_wrong_guesses_each_meet_the_slowdown(staff, fake_clock):
    """Eight PCs guessing at once get no more checks than one PC guessing eight times."""
    user = users.add_user(staff["admin"], "irina", "Ирина", Role.MANAGER, "верный").value
    refused, delayed = [], []

    def guess():
        try:
            auth.sign_in(user.id, "0000-wrong")
        except auth.SignInDelayedError:
            delayed.append(1)
        except auth.SignInError as error:
            assert "Неверный пароль" in str(error)
            refused.append(1)

    assert run_together(*[guess] * 8) == []
    assert (len(refused), len(delayed)) == (auth.FREE_ATTEMPTS, 8 - auth.FREE_ATTEMPTS)
    assert User.get_by_id(user.id).failed_logins == auth.FREE_ATTEMPTS
