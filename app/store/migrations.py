"""Numbered schema migrations, run in one transaction after a backup of the SQLite file.

Each migration is a function taking the database; ``MIGRATIONS[n - 1]`` brings version n-1 to n.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import peewee

from app.domain import clock
from app.domain.banding import DEFAULT_BANDING
from app.domain.version import program_version
from app.store import deal_copies, models, search_index, stage_stays, stage_totals
from app.store.db import copy_sqlite

# the columns later migrations added that the tables' indexes name (and the triggers write): a
# migration creating the indexes of the current models adds them first (``create_indexes``)
LATER_COLUMNS = {models.StageHistory: ("from_entered_at", "stay_days", "next_stage", *deal_copies.COLUMNS),
                 models.Task: tuple(deal_copies.COLUMNS)}


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer version of the program."""


def _literal(value: str | int | float) -> str:
    """A constant as SQL text (a column's default)."""
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(int(value) if isinstance(value, bool) else value)


def ensure_columns(db: peewee.Database, model: type[peewee.Model], *field_names: str) -> None:
    """Add the model's fields ``field_names`` to its table where they are missing.

    Migrations use this (and ``db.create_tables([...])``, which skips existing tables) because the
    first migration creates tables from the current model definitions: every later migration must
    be a no-op on a database that already has what it adds.
    """
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

    table = model._meta.table_name
    present = {column.name for column in db.get_columns(table)}
    postgres = isinstance(db, peewee.PostgresqlDatabase)
    migrator = PostgresqlMigrator(db) if postgres else SqliteMigrator(db)
    operations = []
    for name in field_names:
        field = model._meta.fields[name]
        if field.column_name in present:
            continue
        if postgres or field.null or not isinstance(field.default, (str, int, float)):
            operations.append(migrator.add_column(table, field.column_name, field))
        else:  # NOT NULL DEFAULT …: SQLite adds it in place, where peewee would rebuild the table, dropping
            field = field.clone()  # its triggers and failing on the other tables' triggers that read it
            default = peewee.SQL(f"DEFAULT {_literal(field.db_value(field.default))}")
            field.constraints = [*(field.constraints or []), default]
            operations.append(migrator.add_column(table, field.column_name, field, allow_not_null=True))
    if operations:
        migrate(*operations)


def create_indexes(db: peewee.Database, *tables: type[peewee.Model]) -> None:
    """The current models' indexes of ``tables`` where missing, with the columns they name."""
    for model in tables:
        ensure_columns(db, model, *LATER_COLUMNS.get(model, ()))
        model._schema.create_indexes(safe=True)


def _m001_initial(db: peewee.Database) -> None:
    db.create_tables([models.Group, models.User, models.UserGroup, models.Contact, models.ContactChannel,
                      models.Passport, models.Deal, models.StageHistory, models.Task, models.Note,
                      models.Attachment, models.OutboxSms, models.TimelineEntry, models.AuditEntry,
                      models.Counter, models.Setting])


def _m002_task_reminders(db: peewee.Database) -> None:
    """Which task was shown to whom, and snoozes (reminders that do not nag twice)."""
    db.create_tables([models.TaskReminder])


def _m003_cut_sheets(db: peewee.Database) -> None:
    """Parts and hardware specifications, production forms, cut sheets and their orders."""
    db.create_tables([models.ProductionForm, models.PartSpec, models.HardwareSpec, models.CutSheet,
                      models.CutSheetOrder])


def _m004_board_indexes(db: peewee.Database) -> None:
    """Indexes of the board's queries: column totals (deal.stage, budget) and open tasks per deal."""
    create_indexes(db, models.Deal, models.Task)


def _m005_sign_in_slowdown(db: peewee.Database) -> None:
    """Wrong passwords in a row and the time before which no sign-in is accepted."""
    ensure_columns(db, models.User, "failed_logins", "login_not_before")


def _m006_change_log(db: peewee.Database) -> None:
    """Which deals each committed write touched, for the other PCs' live refresh."""
    db.create_tables([models.ChangeLog])


def _m007_deal_source(db: peewee.Database) -> None:
    """Where each lead came from (e-mail, the site, amoCRM's «Источник»), for import and analytics."""
    ensure_columns(db, models.Deal, "source")


def _m008_mail_intake(db: peewee.Database) -> None:
    """Letters of the shop's mailbox (each handled once) and how far each folder was read."""
    db.create_tables([models.MailLetter, models.MailFolder])


def _m009_board_search_and_totals(db: peewee.Database) -> None:
    """The board at 100,000 deals: the substring index of the search, the per-stage counters of the
    column totals, and the index of the reminders' open tasks; built from the existing deals."""
    search_index.build(db)
    stage_totals.build(db)
    create_indexes(db, models.Task)


def _m010_invoices(db: peewee.Database) -> None:
    """Invoices given to clients (numbered per year, never reused)."""
    db.create_tables([models.Invoice])


def _m011_analytics_indexes(db: peewee.Database) -> None:
    """Indexes of the analytics: over the stage history (moves into a stage, a deal's moves, a
    period) and the deals' debts and payment dates."""
    create_indexes(db, models.StageHistory, models.Deal)  # the history's filled by migrations 17-19


def _m012_amocrm_ids(db: peewee.Database) -> None:
    """amoCRM's IDs of imported deals and contacts (unique where present), for a repeated import."""
    ensure_columns(db, models.Deal, "amo_id")
    ensure_columns(db, models.Contact, "amo_id")


def _m013_sms_outbox(db: peewee.Database) -> None:
    """SMS that really leave: the gateway's id, cost, attempts and retries, the time of each state."""
    ensure_columns(db, models.OutboxSms, "created_by", "gateway", "gateway_id", "cost", "parts", "attempts",
                   "next_attempt_at", "last_error", "sending_at", "delivered_at", "failed_at", "cancelled_at",
                   "checked_at")
    models.OutboxSms._schema.create_indexes(safe=True)


def _m014_offcuts(db: peewee.Database) -> None:
    """Stored offcuts («деловые остатки») and, per cut sheet, «Раскроено» and the use of offcuts."""
    ensure_columns(db, models.CutSheet, "cut_by", "cut_at", "use_offcuts", "offcuts_chosen")
    db.create_tables([models.Offcut])


def _m015_mail_replies(db: peewee.Database) -> None:
    """Letters written on the card (replies and new letters to clients): each letter's timeline line,
    the letter it answers and who wrote it; the letters taken in before get their lines back."""
    ensure_columns(db, models.MailLetter, "entry", "reply_to", "written_by", "file_names")
    letters, entries = models.MailLetter, models.TimelineEntry
    taken: set[int] = set()
    for letter in (letters.select().where(letters.direction == letters.INCOMING, letters.deal.is_null(False),
                                          letters.entry.is_null()).order_by(letters.id)):
        head = f"Входящее письмо «{letter.subject or 'без темы'}» от "
        line = next((entry for entry in entries.select().where(
            entries.deal == letter.deal_id, entries.kind == entries.MAIL_IN).order_by(entries.id)
            if entry.id not in taken and entry.text.startswith(head)), None)
        if line is not None:
            taken.add(line.id)
            letters.update(entry=line.id).where(letters.id == letter.id).execute()


def seed_rows() -> None:
    """Rows a new database starts with where their table is empty: the built-in banding types (the
    codes the parts specifications used before the shop's list could be edited)."""
    if not models.BandingType.select().exists():
        models.BandingType.insert_many([
            {"code": t.code, "name": t.name, "thickness": t.thickness, "overhang": t.overhang,
             "compensate": t.compensate, "active": t.active, "position": n}
            for n, t in enumerate(DEFAULT_BANDING)]).execute()


def _m016_banding_types(db: peewee.Database) -> None:
    """The shop's edge banding types, starting with the built-in ones."""
    db.create_tables([models.BandingType])
    seed_rows()


def _m017_stage_stay_end(db: peewee.Database) -> None:
    """Each stay in a stage on the move that ends it (``stage_history.from_entered_at``): the
    trigger that writes it with every move, the moves written before filled in, and the history's
    period and stage indexes made covering (they carry the deal and the stay)."""
    ensure_columns(db, models.StageHistory, *LATER_COLUMNS[models.StageHistory])  # the trigger writes them all
    for replaced in ("stage_history_to_stage_at", "stage_history_at_deal_id"):  # by covering ones, built
        db.execute_sql(f"DROP INDEX IF EXISTS {replaced}")                     # after the rows are filled
    stage_stays.build(db)
    create_indexes(db, models.StageHistory)


def _m018_stage_stay_days(db: peewee.Database) -> None:
    """Each stay's length in days on its move (``stage_history.stay_days``) and each move's next
    stage (``stage_history.next_stage``), written by the stay trigger and filled in for the moves
    written before, and the indexes the analytics read: the stays of a stage by length (their
    percentiles) and by time (their counts and lengths, replacing the period's moves with their
    stays' starts), a stage's moves by deal with the next stage (the funnel), the period's moves
    into a stage with the stage left (replacing the one without it). On 100,000 orders (1.4
    million moves) it took 47 s on SQLite and 109 s on PostgreSQL on a busy machine."""
    ensure_columns(db, models.StageHistory, *LATER_COLUMNS[models.StageHistory])
    for replaced in ("stage_history_at_deal_id_from_stage_from_entered_at", "stage_history_to_stage_at_deal_id"):
        db.execute_sql(f"DROP INDEX IF EXISTS {replaced}")
    stage_stays.build(db)
    create_indexes(db, models.StageHistory, models.Deal, models.Task)  # and the sources' and people's ones


def _m019_search_words(db: peewee.Database) -> None:
    """The board's search at 100,000 deals: a one-letter word found through the index, what the
    search reads of each match in an index of its own."""
    search_index.rebuild(db)


# the analytics' indexes of migration 18 that migration 20 replaces
V18_INDEXES = ("stage_history_to_stage_at_deal_id_from_stage", "stage_history_from_stage_at_deal_id_stay_days",
               "stage_history_from_stage_stay_days_at", "stage_history_to_stage_deal_id_at_next_stage",
               "task_done_at_done_by_id_all_day_due_at")


def _m020_deal_copies(db: peewee.Database) -> None:
    """Each move's and task's copy of its deal's columns the analytics' filters read (kind, source,
    responsible, manager), kept in step by triggers and filled in for the rows written before, and
    the analytics' indexes of the history and the tasks with the copies last (replacing migration
    18's), so that a filtered report reads those indexes alone, as an unfiltered one does."""
    for model in (models.StageHistory, models.Task):
        ensure_columns(db, model, *LATER_COLUMNS[model])
    for index in (*V18_INDEXES, *models.HISTORY_INDEXES, "task_done"):  # built after the rows are filled
        db.execute_sql(f"DROP INDEX IF EXISTS {index}")
    deal_copies.build(db)
    stage_stays.create_trigger(db)  # which copies them for a new move
    create_indexes(db, models.StageHistory, models.Task)


MIGRATIONS: list[Callable[[peewee.Database], None]] = [_m001_initial, _m002_task_reminders, _m003_cut_sheets,
                                                       _m004_board_indexes, _m005_sign_in_slowdown,
                                                       _m006_change_log, _m007_deal_source,
                                                       _m008_mail_intake, _m009_board_search_and_totals,
                                                       _m010_invoices, _m011_analytics_indexes,
                                                       _m012_amocrm_ids, _m013_sms_outbox, _m014_offcuts,
                                                       _m015_mail_replies, _m016_banding_types,
                                                       _m017_stage_stay_end, _m018_stage_stay_days,
                                                       _m019_search_words, _m020_deal_copies]


def latest() -> int:
    """The schema version this program writes."""
    return len(MIGRATIONS)


def schema_too_new(version: int) -> SchemaTooNewError:
    """The error (with its Russian message) for a database of schema ``version`` > ours."""
    return SchemaTooNewError(f"База данных создана более новой версией программы (схема {version}, "
                             f"эта программа знает до {latest()}). Обновите программу.")


def current_version(db: peewee.Database) -> int:
    """The schema version recorded in the database (0 for an empty one)."""
    if not db.table_exists("schema_version"):
        return 0
    row = db.execute_sql("SELECT version FROM schema_version").fetchone()
    return row[0] if row else 0


def recorded_program(db: peewee.Database) -> str | None:
    """The version of the program that last migrated or opened ``db`` (None: not recorded)."""
    if not db.table_exists("schema_version"):
        return None
    if "program" not in {column.name for column in db.get_columns("schema_version")}:
        return None
    row = db.execute_sql("SELECT program FROM schema_version").fetchone()
    return row[0] if row else None


def _record_program(db: peewee.Database) -> None:
    """Write this program's version beside the schema version (only when it differs)."""
    if "program" not in {column.name for column in db.get_columns("schema_version")}:
        db.execute_sql("ALTER TABLE schema_version ADD COLUMN program VARCHAR(40)")
    if recorded_program(db) != program_version():
        db.execute_sql(f"UPDATE schema_version SET program = {db.param}", (program_version(),))


def backup_sqlite(path: Path, label: str) -> Path:
    """Copy a live SQLite file consistently (online backup API) next to it; returns the copy."""
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{label}-{stamp}.bak")
    copy_sqlite(path, target)
    return target


def upgrade(db: peewee.Database, *, backup_path: Path | None = None) -> int:
    """Bring ``db`` to the latest schema; returns the version it had before."""
    before, target = current_version(db), latest()
    if before > target:
        raise schema_too_new(before)
    if before == target:
        with db.atomic():
            _record_program(db)
        return before
    if backup_path is not None and before > 0 and backup_path.exists():
        backup_sqlite(backup_path, f"before-v{target}")
    with db.atomic():
        if before == 0:
            db.execute_sql("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            db.execute_sql("INSERT INTO schema_version (version) VALUES (0)")
        for number in range(before + 1, target + 1):
            MIGRATIONS[number - 1](db)
            db.execute_sql("UPDATE schema_version SET version = %d" % number)
        _record_program(db)
    _vacuum_rewritten(db, before, target)
    return before


# tables a migration rewrote every row of (PostgreSQL keeps the old row versions until a vacuum,
# and until then its index-only scans visit the table: the analytics of a year took 24 s, not 0.4 s)
REWRITTEN = {18: ("stage_history",), 19: ("stage_history", "task")}


def _vacuum_rewritten(db: peewee.Database, before: int, target: int) -> None:
    """On PostgreSQL, vacuum and analyse the tables the migrations just run rewrote (outside the
    migrations' transaction, as VACUUM must be), instead of waiting for autovacuum (which may be off)."""
    if not isinstance(db, peewee.PostgresqlDatabase) or db.in_transaction():
        return
    for number in range(before + 1, target + 1):
        for table in REWRITTEN.get(number, ()) if before > 0 else ():
            db.execute_sql(f"VACUUM ANALYZE {table}")
