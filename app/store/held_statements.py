"""PostgreSQL statements that nobody waits for go to the server with the next one: one round trip
instead of several (each costs a trip over the network and a wake-up of the server's process).

Held are a transaction's ``BEGIN`` (it goes with the transaction's first statement; a transaction
that sent nothing sends neither it nor its ``COMMIT``/``ROLLBACK``) and the writes given to ``hold``
whose result is not read (a move's history row, timeline lines and the deal's new stage; an undo's
deletions). They are sent, in order, in
front of the next statement or the ``COMMIT``, as one multi-statement string: the server runs them
in the same transaction, in the same order, and stops at the first error, which is then raised by
that next statement (the transaction rolls back as before). Should the connection turn out broken
while ``BEGIN`` is still held, nothing of the transaction has reached the server: it is sent again
over a new connection, as a failed ``BEGIN`` was.
"""
from __future__ import annotations

import threading

import peewee
from psycopg2.extensions import encodings

from app.domain.errors import ConnectionLostError

BEGIN = "BEGIN"
_LOST = (peewee.OperationalError, peewee.InterfaceError)


class _Held(threading.local):
    """The current thread's statements not sent yet (peewee's connection is per thread too)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def take(self) -> list[str]:
        statements, self.statements = self.statements, []
        return statements


class HoldingPostgresqlDatabase(peewee.PostgresqlDatabase):
    """``peewee.PostgresqlDatabase`` sending held statements with the next one (see the module); a
    subclass tells a broken connection (``_connection_broken``)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._held = _Held()

    def hold(self, sql: str, params=None) -> None:
        """Run the write ``sql`` with the next statement of the open transaction (now outside one)."""
        if not self.in_transaction():
            self.execute_sql(sql, params)
            return
        self._held.statements.append(self._inline(sql, params))

    def _inline(self, sql: str, params) -> str:
        """``sql`` with its parameters written in, as psycopg2 sends it (peewee always binds a tuple)."""
        connection = self.connection()
        return connection.cursor().mogrify(sql, params or ()).decode(encodings[connection.encoding])

    def begin(self, isolation_level=None):
        if isolation_level is not None or self._isolation_level:
            return super().begin(isolation_level)
        self.connection()  # connected now: connecting later would forget the transaction begun
        self._held.statements = [BEGIN]
        return None

    def commit(self):
        held = self._held.take()
        if held == [BEGIN]:
            return None  # nothing was sent: there is no transaction on the server
        if held:
            self._send(held, "COMMIT", {})
            return None
        return super().commit()

    def commit_after(self, sql: str, params, read: str):
        """Run the write ``sql`` last, commit, then ``read`` (outside the transaction): one round trip
        with the held statements; the cursor holds ``read``'s rows."""
        return self._send([*self._held.take(), self._inline(sql, params), "COMMIT"], read, {})

    def rollback(self):
        held = self._held.take()
        if held[:1] == [BEGIN]:
            return None
        return super().rollback()

    def dispose(self):
        self._held.take()  # a new connection has nothing of the old one's transaction
        return super().dispose()

    def _execute_cursor(self, sql, params, **cursor_options):
        held = self._held.take()
        if not held:
            return super()._execute_cursor(sql, params, **cursor_options)
        return self._send(held, sql, cursor_options, params)

    def _send(self, held: list[str], sql: str, cursor_options: dict, params=None):
        """``held`` and then ``sql`` in one round trip (the cursor holds the last one's rows)."""
        try:
            return super()._execute_cursor(self._joined(held, sql, params), (), **cursor_options)
        except _LOST:
            if held[0] != BEGIN or not self._connection_broken():
                raise
        try:  # nothing of the transaction reached the server: begin it on a new connection
            self._keeping_transaction(self._reconnect)
            return super()._execute_cursor(self._joined(held, sql, params), (), **cursor_options)
        except _LOST as again:
            self._keeping_transaction(super().dispose)
            raise ConnectionLostError() from again

    def _reconnect(self) -> None:
        super().dispose()
        self.connect()

    def _keeping_transaction(self, action) -> None:
        """``action`` (a new connection, or none) with the transaction peewee has open kept: peewee
        keeps it with the connection's state, which a new connection starts afresh."""
        state = self._state
        kept = state.ctx, state.transactions, state.commit_callbacks
        try:
            action()
        finally:
            state.ctx, state.transactions, state.commit_callbacks = kept

    def _joined(self, held: list[str], sql: str, params) -> str:
        # no parameters left to bind: a % written in (a LIKE pattern) must stay itself
        return "; ".join([*held, self._inline(sql, params)]).replace("%", "%%")
