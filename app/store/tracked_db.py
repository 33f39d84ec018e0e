"""The program's database classes: every committed write advances the shop's change counter, and a
lost server connection becomes a clear ``ConnectionLostError`` instead of a half-written action.

The change counter is the ``counter`` row named ``changes``. It is advanced as the very last statement
of each write transaction, so it is the last lock taken (no deadlocks) and its values commit in order;
``change_log`` holds (counter value, deal id) for the deals the transaction touched. Other PCs poll the
counter every second (app.store.change_feed) and refresh what changed. On PostgreSQL the counter, the
log, the commit and the reading of the counter's new value are one round trip, with the writes held
before it (app.store.held_statements).

Connection loss: outside a transaction a read is retried once on a fresh connection; inside a
transaction the error is raised (the server rolls the transaction back, nothing is half-written) and
the next action reconnects.
"""
from __future__ import annotations

import threading

import peewee

from app.domain.errors import ConnectionLostError
from app.store.held_statements import HoldingPostgresqlDatabase

CHANGES = "changes"
COUNTER_TABLE = "counter"
CHANGE_LOG_TABLE = "change_log"
LOG_KEEP = 2000  # change_log rows kept behind the counter
LOG_PRUNE_EVERY = 500  # counter values between two prunings of the change log
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _is_write(sql: str) -> bool:
    return sql.lstrip()[:7].upper().startswith(_WRITES)


class _Pending(threading.local):
    """What the current thread's open transaction has written."""

    def __init__(self) -> None:
        self.dirty = False
        self.deals: set[int] = set()
        self.bumping = False  # the counter's own statements are running (per thread: mail is read on one)

    def clear(self) -> None:
        self.dirty = False
        self.deals = set()


class TrackedMixin:
    """Change counter at commit and connection-loss handling, for both backends."""

    track_changes = False  # switched on by app.store.connection.open_database once the schema is in place

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pending = _Pending()
        self.own_changes: set[int] = set()  # counter values this process committed

    # -- what changed ----------------------------------------------------------------------------
    def hold(self, sql: str, params=None) -> None:
        """Run the write ``sql`` whose result nobody reads (PostgreSQL sends it with the next statement)."""
        self.execute_sql(sql, params)

    def note_deal(self, deal_id: int) -> None:
        """Record that the open transaction touched ``deal_id`` (for other PCs' refresh)."""
        self._pending.deals.add(int(deal_id))

    def _commit_counted(self) -> int:
        """Advance the counter as the transaction's last write, log the touched deals, commit; the
        counter's new value."""
        p = self.param
        self._pending.bumping = True
        try:
            cursor = super().execute_sql(
                f"UPDATE {COUNTER_TABLE} SET value = value + 1 WHERE name = {p}", (CHANGES,))
            if cursor.rowcount == 0:
                super().execute_sql(f"INSERT INTO {COUNTER_TABLE} (name, value) VALUES ({p}, 1)", (CHANGES,))
            seq = super().execute_sql(
                f"SELECT value FROM {COUNTER_TABLE} WHERE name = {p}", (CHANGES,)).fetchone()[0]
            deals = sorted(self._pending.deals) or [None]
            for deal_id in deals:
                super().execute_sql(
                    f"INSERT INTO {CHANGE_LOG_TABLE} (seq, deal_id) VALUES ({p}, {p})", (seq, deal_id))
            if seq % LOG_PRUNE_EVERY == 0:
                super().execute_sql(f"DELETE FROM {CHANGE_LOG_TABLE} WHERE seq <= {p}", (seq - LOG_KEEP,))
        finally:
            self._pending.bumping = False
        super().commit()
        return seq

    # -- transactions ----------------------------------------------------------------------------
    def commit(self):
        try:
            seq = None
            if self.track_changes and self._pending.dirty:
                seq = self._guard(self._commit_counted)
            else:
                self._guard(super().commit)
        finally:
            self._pending.clear()
        if seq is not None:
            self.own_changes.add(seq)
            if len(self.own_changes) > LOG_KEEP:  # nobody polls (a command-line run): keep it small
                self.own_changes = {value for value in self.own_changes if value > seq - LOG_KEEP}

    def rollback(self):
        self._pending.clear()
        if self._connection_broken():
            return None  # the server has already rolled the transaction back
        try:
            return super().rollback()
        except (peewee.OperationalError, peewee.InterfaceError):
            if self._connection_broken():
                return None
            raise

    def begin(self, *args, **kwargs):
        self._drop_broken_connection()
        try:
            return super().begin(*args, **kwargs)
        except (peewee.OperationalError, peewee.InterfaceError):
            if not self._connection_broken():
                raise
            self.dispose()
            try:
                return super().begin(*args, **kwargs)
            except (peewee.OperationalError, peewee.InterfaceError) as again:
                self.dispose()
                raise ConnectionLostError() from again

    def execute_sql(self, sql, params=None):
        write = _is_write(sql) and not self._pending.bumping
        if write and self.track_changes and not self.in_transaction():
            with self.atomic():  # so that the counter moves with this write
                return self.execute_sql(sql, params)
        self._drop_broken_connection()
        try:
            cursor = super().execute_sql(sql, params)
        except (peewee.OperationalError, peewee.InterfaceError) as error:
            if not self._connection_broken():
                raise
            if self.in_transaction() or write:
                raise ConnectionLostError() from error
            self.dispose()
            try:
                cursor = super().execute_sql(sql, params)
            except (peewee.OperationalError, peewee.InterfaceError) as again:
                self.dispose()
                raise ConnectionLostError() from again
        if write:
            self._pending.dirty = True
        return cursor

    def _guard(self, action):
        try:
            return action()
        except (peewee.OperationalError, peewee.InterfaceError) as error:
            if self._connection_broken():
                raise ConnectionLostError() from error
            raise

    # -- connection health -----------------------------------------------------------------------
    def _connection_broken(self) -> bool:
        return False

    def _drop_broken_connection(self) -> None:
        """Forget a dead connection between transactions, so the next statement reconnects."""
        if not self.in_transaction() and not self.is_closed() and self._connection_broken():
            self.dispose()


_COUNT_AND_LOG = (
    f"WITH bumped AS (INSERT INTO {COUNTER_TABLE} (name, value) VALUES (%s, 1) ON CONFLICT (name) "
    f"DO UPDATE SET value = {COUNTER_TABLE}.value + 1 RETURNING value), "
    f"logged AS (INSERT INTO {CHANGE_LOG_TABLE} (seq, deal_id) SELECT value, deal_id FROM bumped, "
    f"unnest(%s::integer[]) AS deal_id), "
    f"pruned AS (DELETE FROM {CHANGE_LOG_TABLE} WHERE seq <= (SELECT value - %s FROM bumped) "
    f"AND (SELECT value %% {LOG_PRUNE_EVERY} FROM bumped) = 0) "
    "SELECT set_config('crm.changes', value::text, false) FROM bumped")
_COUNTED = "SELECT current_setting('crm.changes')"


class TrackedSqliteDatabase(TrackedMixin, peewee.SqliteDatabase):
    """SQLite: a local file never loses its connection."""


class TrackedPostgresqlDatabase(TrackedMixin, HoldingPostgresqlDatabase):
    """PostgreSQL on the shop's server (statements nobody waits for go with the next one)."""

    def hold(self, sql: str, params=None) -> None:
        if self.in_transaction():
            self._pending.dirty = True  # a write: the counter advances at commit
        HoldingPostgresqlDatabase.hold(self, sql, params)

    def _commit_counted(self) -> int:
        """The counter advanced, the deals logged, the commit and the counter's new value read back
        (kept in a session setting across the commit): one round trip, with the statements held."""
        deals = sorted(self._pending.deals) or [None]
        return int(self.commit_after(_COUNT_AND_LOG, (CHANGES, deals, LOG_KEEP), _COUNTED).fetchone()[0])

    def _connection_broken(self) -> bool:
        conn = self._state.conn
        return conn is None or bool(getattr(conn, "closed", False))
