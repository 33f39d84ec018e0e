"""Moving in from amoCRM: deals and contacts from its export files (or its API) into the shop's database.

An import is not a move: a deal keeps amoCRM's stage and dates, no automatic task fires, the timeline
says «Импорт из amoCRM». A deal at or past a gated stage (not a closed one: closed deals are history)
that lacks gate fields gets one task «Дополнить данные: …». Contacts are one per person: the same
phone (normalised) or e-mail (case-insensitive) is the same contact across rows and files. Importing
again adds nothing and updates only what changed (by amoCRM's ID; a row without one by the deal's
name and its contact's phone). Rows are written in batches, each its own transaction: a cancelled or
failed import leaves no partial batch; a dry run does it all inside one transaction rolled back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Sequence

from peewee import fn

from app.domain import amocrm, clock, pipeline, validation
from app.domain.amocrm import ContactRecord, Header, LeadRecord, RowRefused, StageMatcher, Table, fold
from app.domain.changes import Changes
from app.domain.codes import OrderKind, Role, TaskType
from app.domain.errors import FieldProblem, ValidationError
from app.services import deal_fields, numbering, people, permissions
from app.services.tasks import created_line
from app.store import bulk
from app.store.db import database, is_postgres, note_deal_changed
from app.store.models import Contact, ContactChannel, Deal, Note, Passport, StageHistory, Task, TimelineEntry, User

IMPORT_TEXT = "Импорт из amoCRM"
AMO_TASK_RULE = "amocrm.task:"  # + amoCRM's task id: a task imported from amoCRM, once
COMPLETE_DATA_RULE = "import.complete_data"
COMPLETE_DATA_TEXT = "Дополнить данные: "
BATCH_SIZE = 500

CREATED, UPDATED, UNCHANGED, REFUSED, MERGED, WARNING, NOTE_ONLY_HERE = (
    "создана", "обновлена", "без изменений", "отказ", "контакт объединён", "предупреждение",
    "примечание только в отчёте")
CHUNK = 500  # ids in one «IN (…)» (below SQLite's oldest limit of 999 variables)
# deal fields the import compares and sets, with their column for the report
DEAL_FIELDS = ("name", "budget", "tags", "products", "source", "responsible_id", "manager_id",
               "payment_date", "prepayment", "debt", "ship_deadline", "delivery_type", "delivery_city")


@dataclass(frozen=True)
class ReportLine:
    """One line of the per-row report: which file and line, what happened, why."""

    file: str
    line: int
    outcome: str
    reason: str


@dataclass
class ImportReport:
    """What an import did (or, on a dry run, would do)."""

    dry_run: bool = False
    deals_created: int = 0
    deals_updated: int = 0
    deals_unchanged: int = 0
    deals_refused: int = 0
    contacts_created: int = 0
    contacts_merged: int = 0
    contacts_updated: int = 0
    notes: int = 0
    contact_notes: int = 0  # of ``notes``: contacts' own notes put on their deals' timelines
    contact_notes_without_deals: int = 0  # contacts' notes with no deal to go to: kept in the report only
    tasks: int = 0  # open tasks brought over from amoCRM (API)
    tasks_to_complete_data: int = 0
    cancelled: bool = False
    unknown_stages: dict[str, int] = field(default_factory=dict)  # amoCRM stage name → rows
    unknown_people: dict[str, int] = field(default_factory=dict)  # amoCRM user name → rows
    lines: list[ReportLine] = field(default_factory=list)
    deal_ids: set[int] = field(default_factory=set)
    stages: set[str] = field(default_factory=set)

    def summary(self) -> dict[str, object]:
        """The counts as the command line prints them (one JSON object)."""
        return {
            "dry_run": self.dry_run, "deals_created": self.deals_created, "deals_updated": self.deals_updated,
            "deals_unchanged": self.deals_unchanged, "deals_refused": self.deals_refused,
            "contacts_created": self.contacts_created, "contacts_merged": self.contacts_merged,
            "contacts_updated": self.contacts_updated, "notes": self.notes, "contact_notes": self.contact_notes,
            "contact_notes_without_deals": self.contact_notes_without_deals, "tasks": self.tasks,
            "tasks_to_complete_data": self.tasks_to_complete_data, "cancelled": self.cancelled,
            "unknown_stages": sorted(self.unknown_stages), "unknown_people": sorted(self.unknown_people),
        }

    @property
    def refused(self) -> list[ReportLine]:
        return [line for line in self.lines if line.outcome == REFUSED]

    @property
    def changes(self) -> Changes:
        if self.dry_run or not self.deal_ids:
            return Changes()
        return Changes(frozenset(self.deal_ids), frozenset(self.stages), tasks=True, timeline=True)


@dataclass
class ImportOptions:
    """The user's choices: unknown stages and people mapped, a dry run, the batch size."""

    stage_map: dict[str, str] = field(default_factory=dict)  # amoCRM stage («Воронка/Этап» or «Этап») → code
    people_map: dict[str, int | None] = field(default_factory=dict)  # amoCRM user name → user id
    dry_run: bool = False
    batch_size: int = BATCH_SIZE


class _DryRunDone(Exception):
    """Raised at the end of a dry run to roll everything back."""


class ImportCancelled(Exception):
    """The user pressed «Отмена» between two batches."""


Progress = Callable[[int, int], None]


MAX_BATCH = 100_000


def check_options(options: object) -> None:
    """Refuse mappings and options the wizard or the command line could not have meant: a stage map of
    amoCRM names to the board's stage codes, a people map of names to users (or None), a batch size."""
    if not isinstance(options, ImportOptions):
        raise ValidationError([FieldProblem("import.stage_map", "настройки импорта не заданы")])
    problems = []
    stage_map, people_map = options.stage_map, options.people_map
    if not isinstance(stage_map, dict) or not all(isinstance(name, str) for name in stage_map):
        problems.append(FieldProblem("import.stage_map", "нужны пары «этап amoCRM» → этап программы"))
    else:
        for name, code in stage_map.items():
            if not isinstance(code, str) or code not in pipeline.STAGE_BY_CODE:
                problems.append(FieldProblem("import.stage_map", f"«{name}» → «{code}»: нет такого этапа. "
                                             f"Этапы: {', '.join(pipeline.STAGE_CODES)}"))
                break
    if not isinstance(people_map, dict) or not all(isinstance(name, str) for name in people_map) or not all(
            user_id is None or validation.is_id(user_id) for user_id in people_map.values()):
        problems.append(FieldProblem("import.people_map", "нужны пары «имя в amoCRM» → пользователь программы"))
    else:
        wanted = {user_id for user_id in people_map.values() if user_id is not None}
        if wanted and User.select().where(User.id.in_(list(wanted))).count() != len(wanted):
            problems.append(FieldProblem("import.people_map", "такого пользователя нет (удалён на другом "
                                                              "компьютере?) — выберите снова"))
    size = options.batch_size
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= MAX_BATCH:
        problems.append(FieldProblem("import.batch_size", f"целое число от 1 до {MAX_BATCH}"))
    if problems:
        raise ValidationError(problems, "Импорт не начат")


def _read(table: Table, make: Callable[[dict, int], object], *,
          contacts: bool = False) -> tuple[list, list[ReportLine]]:
    header = Header.read(table.header, contacts=contacts)
    records, refused = [], []
    for line, cells in table.rows:
        try:
            record = make(header.row(cells), line)
        except RowRefused as error:
            refused.append(ReportLine(table.name, line, REFUSED, str(error)))
            continue
        if record is not None:
            records.append(record)
    return records, refused


def read_leads(table: Table) -> tuple[list[LeadRecord], list[ReportLine]]:
    """The deals of a leads table and the rows refused while reading (line and reason)."""
    return _read(table, amocrm.lead_record)


def read_contacts(table: Table) -> tuple[list[ContactRecord], list[ReportLine]]:
    """The people of a contacts table and the rows refused while reading."""
    return _read(table, amocrm.contact_record, contacts=True)


def known_users() -> dict[str, int]:
    """Users by folded full name and login (active ones win over deactivated namesakes)."""
    found: dict[str, int] = {}
    for user in User.select().order_by(User.active, User.id.desc()):
        found[fold(user.full_name)] = user.id
        found[fold(user.login)] = user.id
    return found


def import_tables(leads: Table | None, contacts: Table | None, actor: User | None,
                  options: ImportOptions | None = None, *, progress: Progress | None = None,
                  cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Import amoCRM's export tables (contacts first, then leads); see the module's doc."""
    options = options or ImportOptions()
    lead_records, refused = read_leads(leads) if leads is not None else ([], [])
    contact_records, contact_refused = read_contacts(contacts) if contacts is not None else ([], [])
    return import_records(lead_records, contact_records, actor, options,
                          file_names=(leads.name if leads else "", contacts.name if contacts else ""),
                          refused_leads=refused, refused_contacts=contact_refused, progress=progress,
                          cancelled=cancelled)


def import_records(leads: list[LeadRecord], contacts: list[ContactRecord], actor: User | None,
                   options: ImportOptions, *, file_names: tuple[str, str] = ("", ""),
                   refused_leads: Sequence[ReportLine] = (), refused_contacts: Sequence[ReportLine] = (),
                   progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Import records (read from files or from the API) in batches; returns the report."""
    permissions.require(actor, permissions.move_action(pipeline.FIRST_STAGE.code))
    check_options(options)
    matcher = StageMatcher(options.stage_map)
    report = ImportReport(dry_run=options.dry_run)
    report.lines.extend(refused_contacts)
    report.lines.extend(refused_leads)
    report.deals_refused = len(refused_leads)
    work: list[tuple[str, object]] = [("contact", record) for record in contacts]
    work += [("lead", record) for record in leads]
    total = len(work)
    batches = [work[start:start + options.batch_size] for start in range(0, total, options.batch_size)]
    if progress:
        progress(0, total)
    try:
        if options.dry_run:  # everything inside one transaction, rolled back at the end
            with database.atomic():
                _run(batches, _Importer(actor, options, matcher, report, file_names), progress, cancelled, total)
                raise _DryRunDone
        else:
            _run(batches, _Importer(actor, options, matcher, report, file_names), progress, cancelled, total)
    except _DryRunDone:
        pass
    except ImportCancelled:
        report.cancelled = True
    return report


def _run(batches, importer: _Importer, progress: Progress | None, cancelled, total: int) -> None:
    done = 0
    for batch in batches:
        if cancelled is not None and cancelled():
            raise ImportCancelled
        with database.atomic():
            importer.begin_batch([record for kind, record in batch if kind == "lead"])
            for kind, record in batch:
                if kind == "contact":
                    importer.contact_row(record)
                else:
                    importer.lead_row(record)
            importer.end_batch()
        done += len(batch)
        if progress:
            progress(done, total)
    with database.atomic():  # the contacts' notes once every deal is in: one more batch
        importer.place_contact_notes()


@dataclass
class _Person:
    """A contact as the import knows it (loaded once, kept up to date as rows add to it)."""

    full_name: str
    company: str
    address: str
    amo_id: int | None
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    has_passport: bool = False


@dataclass
class _Gated:
    """A deal at or past a gate, to check for missing gate fields at the end of its batch."""

    deal_id: int
    stage: str
    values: dict[str, object]
    contact_id: int | None
    manager_id: int | None
    is_new: bool


class _IdPool:
    """Ids for the rows a batch inserts in bulk: PostgreSQL reserves them from the table's sequence;
    SQLite counts on from the largest id (the batch holds the write lock, so nobody else inserts)."""

    BLOCK = 1000

    def __init__(self, model) -> None:
        self.model = model
        self.free: list[int] = []

    def reset(self) -> None:
        if not is_postgres():
            self.free = []  # another PC may have inserted between two batches

    def take(self) -> int:
        if not self.free:
            table = self.model._meta.table_name
            if is_postgres():
                rows = database.execute_sql(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                                            f"FROM generate_series(1, {self.BLOCK})").fetchall()
                self.free = sorted((row[0] for row in rows), reverse=True)
            else:
                top = self.model.select(fn.MAX(self.model.id)).scalar() or 0
                self.free = list(range(top + self.BLOCK, top, -1))
        return self.free.pop()


TASK_COLUMNS = ("id", "deal", "type", "text", "assignee_user", "assignee_group", "due_at", "all_day",
                "created_at", "rule", "version")
DEAL_DEFAULTS = {"payment_date": None, "prepayment": None, "debt": None, "ship_deadline": None,
                 "delivery_type": "", "delivery_city": ""}


class _Importer:
    """The import's memory between rows and batches: who is who already, by ID, phone and e-mail."""

    def __init__(self, actor: User | None, options: ImportOptions, matcher: StageMatcher,
                 report: ImportReport, file_names: tuple[str, str]) -> None:
        self.actor, self.options, self.matcher, self.report = actor, options, matcher, report
        self.leads_file, self.contacts_file = file_names
        self.users = known_users()
        self.user_rows = {user.id: user for user in User.select()}
        self.managers = {user_id for user_id, user in self.user_rows.items() if user.role == Role.MANAGER}
        self.shops_group = None
        self.people: dict[int, _Person] = {
            contact_id: _Person(name, company, address, amo_id) for contact_id, name, company, address, amo_id
            in Contact.select(Contact.id, Contact.full_name, Contact.company, Contact.address,
                              Contact.amo_id).tuples()}
        for (contact_id,) in Passport.select(Passport.contact).tuples():
            self.people[contact_id].has_passport = True
        self.by_phone: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        for contact_id, kind, value in ContactChannel.select(
                ContactChannel.contact, ContactChannel.kind, ContactChannel.value).order_by(
                ContactChannel.position, ContactChannel.id).tuples():
            person = self.people[contact_id]
            if kind == ContactChannel.PHONE:
                person.phones.append(value)
                self.by_phone.setdefault(value, contact_id)
            else:
                person.emails.append(value)
                self.by_email.setdefault(value.lower(), contact_id)
        self.contact_by_amo = {person.amo_id: contact_id for contact_id, person in self.people.items()
                               if person.amo_id is not None}
        self.deal_by_amo = dict(Deal.select(Deal.amo_id, Deal.id).where(Deal.amo_id.is_null(False)).tuples())
        self.order_nos = dict(Deal.select(Deal.order_no, Deal.id).tuples())
        self.pools = {model: _IdPool(model) for model in (Contact, Deal, Note, Task)}
        self.amo_tasks = {rule for (rule,) in Task.select(Task.rule).where(
            Task.rule.startswith(AMO_TASK_RULE)).tuples()}
        self.by_name_phone: dict[tuple[str, str], int] = {}
        # the contacts' own notes read in this import: contact id → {marked text: (line, contact's name)}
        self.contact_notes: dict[int, dict[str, tuple[int, str]]] = {}
        for deal_id, name, phone in (Deal.select(Deal.id, Deal.name, ContactChannel.value)
                                     .join(ContactChannel, on=(ContactChannel.contact == Deal.contact))
                                     .where(ContactChannel.kind == ContactChannel.PHONE).tuples()):
            self.by_name_phone.setdefault((fold(name), phone), deal_id)

    # -- batches ---------------------------------------------------------------------------------
    def begin_batch(self, leads: list[LeadRecord]) -> None:
        self.now = clock.now()
        known = [self.deal_by_amo[r.amo_id] for r in leads if r.amo_id is not None and r.amo_id in self.deal_by_amo]
        self.deals = {deal.id: deal for deal in Deal.select().where(Deal.id.in_(known))} if known else {}
        self.deal_notes: dict[int, set[str]] = {deal_id: set() for deal_id in self.deals}
        if known:
            for deal_id, text in Note.select(Note.deal, Note.text).where(Note.deal.in_(known)).tuples():
                self.deal_notes[deal_id].add(text)
        for pool in self.pools.values():
            pool.reset()
        # rows inserted in bulk at the end of the batch, parents first
        self.rows: dict[type, list[dict]] = {model: [] for model in (Contact, Deal, Note, Task)}
        self.pending: dict[type, dict[int, dict]] = {Contact: {}, Deal: {}}
        self.channels: list[dict] = []
        self.history: list[dict] = []
        self.entries: list[dict] = []
        self.last_order_no: int | None = None  # the last number this batch took from the counter
        self.top_wanted: int | None = None  # the highest number a row of this batch brought along
        self.searched: set[int] = set()  # deals whose search text this batch wrote
        self.contact_touched: set[int] = set()  # contacts that got new data after their deals were written
        self.gated: list[_Gated] = []

    def _flush(self) -> None:
        """Insert the rows the batch has gathered so far."""
        for model, rows in (*self.rows.items(), (ContactChannel, self.channels), (StageHistory, self.history),
                            (TimelineEntry, self.entries)):
            bulk.insert_rows(model, rows)
            rows.clear()
        for pending in self.pending.values():
            pending.clear()

    def _order_no(self, wanted: int | None) -> int:
        """The order number of a new deal: the file's when free, else the next of the shop's counter
        (advanced once per batch, its row locked until the batch commits)."""
        if wanted is not None and wanted not in self.order_nos:
            self.top_wanted = max(self.top_wanted or 0, wanted)  # the counter passes it at the batch's end
            return wanted
        number = numbering.next_number(numbering.ORDER_NO) if self.last_order_no is None else self.last_order_no + 1
        while number in self.order_nos:
            number += 1
        self.last_order_no = number
        return number

    def end_batch(self) -> None:
        self._flush()
        for gated in self.gated:
            self._complete_data_task(gated)
        self._flush()
        if self.last_order_no is not None or self.top_wanted is not None:
            numbering.ensure_at_least(numbering.ORDER_NO, max(self.last_order_no or 0, self.top_wanted or 0))
        if self.contact_touched:
            for deal_id, order_no, name, tags, products, contact_id in Deal.select(
                    Deal.id, Deal.order_no, Deal.name, Deal.tags, Deal.products, Deal.contact).where(
                    Deal.contact.in_(self.contact_touched)).tuples():
                text = self._search_text([str(order_no), name, tags, products], contact_id)
                Deal.update(search_text=text).where(Deal.id == deal_id).execute()

    def _search_text(self, words: list[str], contact_id: int | None) -> str:
        person = self.people.get(contact_id) if contact_id is not None else None
        if person is None:
            return deal_fields.search_words(words, [], [], [])
        return deal_fields.search_words(words, [person.full_name, person.company], person.phones, person.emails)

    # -- contacts --------------------------------------------------------------------------------
    def contact_row(self, record: ContactRecord) -> None:
        self._warn(self.contacts_file, record)
        contact_id = self.contact_for(record, None, self.contacts_file)
        if record.notes:  # a merged person gathers the notes of all its rows, each text once
            kept = self.contact_notes.setdefault(contact_id, {})
            for text in record.notes:
                kept.setdefault(text, (record.line, record.full_name))

    def place_contact_notes(self) -> None:
        """The contacts' own notes onto the timeline of each of the contact's deals (this import's and
        earlier ones'), in column order, each once per deal; a contact without deals has them in the
        report, line by line, with their text (nothing lost; a later import with its deals places them)."""
        if not self.contact_notes:
            return
        self.begin_batch([])
        deals: dict[int, list[tuple[int, str]]] = {}
        present: dict[int, set[str]] = {}
        contact_ids = list(self.contact_notes)
        for start in range(0, len(contact_ids), CHUNK):
            for deal_id, contact_id, stage in Deal.select(Deal.id, Deal.contact, Deal.stage).where(
                    Deal.contact.in_(contact_ids[start:start + CHUNK])).order_by(Deal.id).tuples():
                deals.setdefault(contact_id, []).append((deal_id, stage))
                present[deal_id] = set()
        deal_ids = list(present)
        for start in range(0, len(deal_ids), CHUNK):
            for deal_id, text in Note.select(Note.deal, Note.text).where(
                    Note.deal.in_(deal_ids[start:start + CHUNK])).tuples():
                present[deal_id].add(text)
        for contact_id, kept in self.contact_notes.items():
            if contact_id not in deals:
                for text, (line, name) in kept.items():
                    self.report.contact_notes_without_deals += 1
                    self.report.lines.append(ReportLine(self.contacts_file, line, NOTE_ONLY_HERE,
                                                        f"«{name or '—'}»: у контакта нет сделок. {text}"))
                continue
            for deal_id, stage in deals[contact_id]:
                texts = [text for text in kept if text not in present[deal_id]]
                if texts:
                    self._notes(deal_id, texts)
                    self.report.contact_notes += len(texts)
                    self.report.deal_ids.add(deal_id)
                    self.report.stages.add(stage)
                    note_deal_changed(deal_id)
        self._flush()

    def contact_for(self, record: ContactRecord | None, own: int | None, file: str) -> int | None:
        """The contact of ``record``: the one it matches (amoCRM ID, phone, e-mail, the deal's own)
        completed with its new phones and e-mails, or a new one."""
        if record is None:
            return own
        found, how = None, ""
        if record.amo_id is not None and record.amo_id in self.contact_by_amo:
            found = self.contact_by_amo[record.amo_id]
        for phone in record.phones:
            if found is None and phone in self.by_phone:
                found, how = self.by_phone[phone], f"тот же телефон {phone}"
        for email in record.emails:
            if found is None and email in self.by_email:
                found, how = self.by_email[email], f"тот же e-mail {email}"
        if found is None and own is not None:
            found = own
        if found is None:
            return self._new_contact(record)
        if how and found != own:
            self.report.contacts_merged += 1
            self.report.lines.append(ReportLine(file, record.line, MERGED,
                                                f"«{record.full_name or '—'}»: {how}"))
        self._complete_contact(found, record)
        return found

    def _new_contact(self, record: ContactRecord) -> int:
        name = record.full_name or (record.phones or record.emails or ["—"])[0]
        contact_id = self.pools[Contact].take()
        row = {"id": contact_id, "full_name": name, "company": record.company, "address": record.address,
               "amo_id": record.amo_id, "created_at": record.created_at or self.now, "updated_at": self.now,
               "version": 1}
        self.rows[Contact].append(row)
        self.pending[Contact][contact_id] = row
        self.report.contacts_created += 1
        self.people[contact_id] = _Person(name, record.company, record.address, record.amo_id)
        self._add_channels(contact_id, record.phones, record.emails)
        if record.amo_id is not None:
            self.contact_by_amo[record.amo_id] = contact_id
        return contact_id

    def _add_channels(self, contact_id: int, phones: list[str], emails: list[str]) -> None:
        person = self.people[contact_id]
        position = len(person.phones) + len(person.emails)
        for kind, values, known, index in ((ContactChannel.PHONE, phones, person.phones, self.by_phone),
                                           (ContactChannel.EMAIL, emails, person.emails, self.by_email)):
            for value in values:
                self.channels.append({"contact": contact_id, "kind": kind, "value": value,
                                      "label": "", "position": position})
                position += 1
                known.append(value)
                index.setdefault(value, contact_id)

    def _complete_contact(self, contact_id: int, record: ContactRecord) -> None:
        person = self.people[contact_id]
        phones = [p for p in record.phones if p not in person.phones]
        emails = [e for e in record.emails if e not in person.emails]
        values = {"full_name": person.full_name or record.full_name, "company": person.company or record.company,
                  "address": person.address or record.address}
        if record.amo_id is not None and person.amo_id is None and record.amo_id not in self.contact_by_amo:
            values["amo_id"] = record.amo_id
            self.contact_by_amo[record.amo_id] = contact_id
        changed = {key: value for key, value in values.items() if getattr(person, key) != value}
        if not changed and not phones and not emails:
            return
        for key, value in changed.items():
            setattr(person, key, value)
        self._add_channels(contact_id, phones, emails)
        if contact_id in self.pending[Contact]:
            self.pending[Contact][contact_id].update(changed)
        else:
            Contact.update(**changed, updated_at=self.now, version=Contact.version + 1).where(
                Contact.id == contact_id).execute()
        self.contact_touched.add(contact_id)
        self.report.contacts_updated += 1

    # -- deals -----------------------------------------------------------------------------------
    def lead_row(self, record: LeadRecord) -> None:
        record.stage = self.matcher.match(record.stage_name, record.pipeline_name)
        if record.stage is None:
            key = f"{record.pipeline_name}/{record.stage_name}" if record.pipeline_name else record.stage_name
            self.report.unknown_stages[key] = self.report.unknown_stages.get(key, 0) + 1
            self._refuse(record, f"Этап «{record.stage_name}»"
                         + (f" воронки «{record.pipeline_name}»" if record.pipeline_name else "")
                         + " не найден в программе: сопоставьте его с этапом")
            return
        self._warn(self.leads_file, record.contact)
        responsible = self._responsible(record)
        deal_id = self._find_deal(record)
        if deal_id is None:
            self._create_deal(record, responsible)
        else:
            self._update_deal(deal_id, record, responsible)

    def _refuse(self, record: LeadRecord, reason: str) -> None:
        self.report.deals_refused += 1
        self.report.lines.append(ReportLine(self.leads_file, record.line, REFUSED, reason))

    def _warn(self, file: str, record: ContactRecord | None) -> None:
        for warning in record.warnings if record is not None else ():
            self.report.lines.append(ReportLine(file, record.line, WARNING, warning))

    def _responsible(self, record: LeadRecord) -> int | None:
        name = record.responsible
        if not name:
            return None
        if name in self.options.people_map:
            return self.options.people_map[name]
        user_id = self.users.get(fold(name))
        if user_id is None:
            self.report.unknown_people[name] = self.report.unknown_people.get(name, 0) + 1
        return user_id

    def _find_deal(self, record: LeadRecord) -> int | None:
        deal_id = self._match_deal(record)
        if deal_id is not None and deal_id in self.pending[Deal]:
            self._flush()  # the same deal twice in one batch: the second row updates the first
        return deal_id

    def _match_deal(self, record: LeadRecord) -> int | None:
        if record.amo_id is not None:
            return self.deal_by_amo.get(record.amo_id)
        if record.order_no is not None and record.order_no in self.order_nos:
            deal_id = self.order_nos[record.order_no]
            if deal_id in self.pending[Deal]:
                if self.pending[Deal][deal_id]["name"] == record.name:
                    return deal_id
            elif Deal.select().where(Deal.id == deal_id, Deal.name == record.name).exists():
                return deal_id
        for phone in record.contact.phones if record.contact else ():
            if (fold(record.name), phone) in self.by_name_phone:
                return self.by_name_phone[(fold(record.name), phone)]
        return None

    def _values(self, record: LeadRecord, responsible: int | None) -> dict[str, object]:
        limits = validation.TEXT_LIMITS  # the files' rows are checked; the API's texts are cut to fit
        values = {"name": record.name[:limits["name"]], "budget": record.budget,
                  "tags": " ".join(record.tags)[:limits["tags"]], "products": record.products[:limits["products"]],
                  "source": record.source[:limits["source"]]}
        if record.responsible:  # a known responsible; an unknown one leaves the deal to «Магазины»
            values["responsible_id"] = responsible
            values["manager_id"] = responsible if responsible in self.managers else None
        values.update(record.payment)
        if "prepayment" in values:  # the debt as the card keeps it: typed, else budget − prepayment
            computed = max(record.budget - values["prepayment"], 0) if values["prepayment"] is not None else None
            values.setdefault("debt", computed)
            values["debt_manual"] = values["debt"] != computed
        return values

    def _dates(self, record: LeadRecord) -> tuple[datetime, datetime, datetime]:
        created = record.created_at or self.now
        updated = record.updated_at or created
        stage = pipeline.stage(record.stage)
        entered = (record.closed_at or updated) if stage.is_closed else updated
        return created, updated, entered

    def _create_deal(self, record: LeadRecord, responsible: int | None) -> None:
        contact_id = self.contact_for(record.contact, None, self.leads_file)
        order_no = self._order_no(record.order_no)
        created, updated, entered = self._dates(record)
        values = {"responsible_id": None, "manager_id": None, "debt_manual": False, **DEAL_DEFAULTS,
                  **self._values(record, responsible)}
        search = self._search_text([str(order_no), values["name"], values["tags"], values["products"]], contact_id)
        deal_id = self.pools[Deal].take()
        row = {"id": deal_id, "order_no": order_no, "stage": record.stage, "stage_entered_at": entered,
               "kind": OrderKind.STANDARD, "contact": contact_id, "amo_id": record.amo_id, "created_at": created,
               "updated_at": updated, "search_text": search, "version": 1,
               "responsible": values["responsible_id"], "manager": values["manager_id"],
               **{key: value for key, value in values.items() if key not in ("responsible_id", "manager_id")}}
        self.rows[Deal].append(row)
        self.pending[Deal][deal_id] = row
        note_deal_changed(deal_id)
        self.order_nos[order_no] = deal_id
        if record.amo_id is not None:
            self.deal_by_amo[record.amo_id] = deal_id
        for phone in record.contact.phones if record.contact else ():
            self.by_name_phone.setdefault((fold(record.name), phone), deal_id)
        self.history.append({"deal": deal_id, "from_stage": None, "to_stage": record.stage,
                             "user": self.actor, "at": entered})
        origin = f" (ID {record.amo_id})" if record.amo_id is not None else ""
        self._entry(deal_id, TimelineEntry.DEAL_CREATED,
                    f"{IMPORT_TEXT}{origin}: сделка «{record.name}», этап «{pipeline.stage(record.stage).name}»")
        self._notes(deal_id, record.notes)
        self._tasks(deal_id, record, values["manager_id"])
        self._done(deal_id, record, values, contact_id, True)
        self.report.deals_created += 1

    def _update_deal(self, deal_id: int, record: LeadRecord, responsible: int | None) -> None:
        deal = self.deals.pop(deal_id, None) or Deal.get_by_id(deal_id)  # pop: a second row reads it afresh
        contact_id = self.contact_for(record.contact, deal.contact_id, self.leads_file)
        values = self._values(record, responsible)
        changed = {key: value for key, value in values.items() if getattr(deal, key) != value}
        if contact_id != deal.contact_id:
            changed["contact"] = contact_id
        if record.amo_id is not None and deal.amo_id is None:
            changed["amo_id"] = record.amo_id
        created, updated, entered = self._dates(record)
        if record.stage != deal.stage:
            changed.update(stage=record.stage, stage_entered_at=entered)
            self.history.append({"deal": deal_id, "from_stage": deal.stage, "to_stage": record.stage,
                                 "user": self.actor, "at": entered})
            self._entry(deal_id, TimelineEntry.STAGE, f"{IMPORT_TEXT}: этап «{pipeline.stage(record.stage).name}» "
                        f"из «{pipeline.stage(deal.stage).name}»")
        present = self.deal_notes.pop(deal_id, None)
        if present is None:
            present = {text for (text,) in Note.select(Note.text).where(Note.deal == deal_id).tuples()}
        notes = [text for text in record.notes if text not in present]
        if not changed and not notes and all(f"{AMO_TASK_RULE}{t.amo_id}" in self.amo_tasks for t in record.tasks):
            self.report.deals_unchanged += 1
            return
        shown = [deal_fields.label(key.removesuffix("_id")) for key in changed
                 if key not in ("stage", "stage_entered_at", "amo_id", "manager_id", "debt_manual")]
        if shown:
            self._entry(deal_id, TimelineEntry.CHANGE, f"{IMPORT_TEXT} — изменено: {', '.join(shown)}")
        self._notes(deal_id, notes)
        self._tasks(deal_id, record, values.get("manager_id", deal.manager_id))
        current = {key: getattr(deal, key) for key in DEAL_FIELDS}
        current.update(values)
        if changed:
            search = self._search_text([str(deal.order_no), current["name"], current["tags"], current["products"]],
                                       contact_id)
            Deal.update(**changed, search_text=search, updated_at=max(updated, deal.updated_at),
                        version=Deal.version + 1).where(Deal.id == deal_id).execute()
        note_deal_changed(deal_id)
        self.report.stages.add(deal.stage)
        self._done(deal_id, record, current, contact_id, False)
        self.report.deals_updated += 1

    def _done(self, deal_id: int, record: LeadRecord, values: dict[str, object], contact_id: int | None,
              is_new: bool) -> None:
        self.report.deal_ids.add(deal_id)
        self.report.stages.add(record.stage)
        stage = pipeline.stage(record.stage)
        if not stage.is_closed and pipeline.gate_of_move(None, stage):
            self.gated.append(_Gated(deal_id, record.stage, values, contact_id, values.get("manager_id"), is_new))

    def _entry(self, deal_id: int, kind: str, text: str, note: int | None = None, task: int | None = None) -> None:
        self.entries.append({"deal": deal_id, "at": self.now, "user": self.actor, "kind": kind,
                             "text": text, "note": note, "task": task})

    def _notes(self, deal_id: int, texts: list[str]) -> None:
        for text in texts:
            note_id = self.pools[Note].take()
            self.rows[Note].append({"id": note_id, "deal": deal_id, "author": self.actor, "text": text,
                                    "at": self.now})
            self._entry(deal_id, TimelineEntry.NOTE, text, note_id)
            self.report.notes += 1

    def _addressee(self, user_id: int | None) -> tuple[User | None, object]:
        """(user, group) of a task: the active user, else «Магазины»."""
        user = self.user_rows.get(user_id) if user_id else None
        if user is not None and user.active:
            return user, None
        self.shops_group = self.shops_group or people.group_named(pipeline.GROUP_SHOPS)
        return None, self.shops_group

    def _add_task(self, deal_id: int, text: str, type: str, user_id: int | None, due_at: datetime, rule: str) -> None:
        user, group = self._addressee(user_id)
        task = Task(id=self.pools[Task].take(), deal=deal_id, type=type, text=text, assignee_user=user,
                    assignee_group=group, due_at=due_at, all_day=False, created_at=self.now, rule=rule)
        self.rows[Task].append({name: task.__data__.get(name) for name in TASK_COLUMNS})
        self._entry(deal_id, TimelineEntry.TASK_CREATED, created_line(task, None), task=task.id)

    def _tasks(self, deal_id: int, record: LeadRecord, manager_id: int | None) -> None:
        """amoCRM's open tasks of the deal (API), each once, to its responsible when known."""
        for task in record.tasks:
            rule = f"{AMO_TASK_RULE}{task.amo_id}"
            if rule in self.amo_tasks:
                continue
            self.amo_tasks.add(rule)
            user_id = self.users.get(fold(task.responsible)) if task.responsible else manager_id
            self._add_task(deal_id, task.text[:2000], TaskType.CONTACT, user_id, task.due_at or self.now, rule)
            self.report.tasks += 1

    def _state(self, gated: _Gated) -> dict[str, object]:
        """The gate fields' values of a deal, from what the import knows (no query)."""
        person = self.people.get(gated.contact_id) if gated.contact_id is not None else None
        passport = "есть" if person is not None and person.has_passport else ""
        return {**gated.values, "contact.full_name": person.full_name if person else "",
                "contact.email": person.emails[0] if person and person.emails else "",
                "contact.phone": person.phones[0] if person and person.phones else "",
                "contact.address": person.address if person else "",
                "passport.series": passport, "passport.number": passport}

    def _complete_data_task(self, gated: _Gated) -> None:
        """The task «Дополнить данные: …» for a deal at or past a gate without the gate's fields."""
        gate = pipeline.gate_of_move(None, pipeline.stage(gated.stage))
        missing = [deal_fields.label(p.field) for p in deal_fields.gate_problems(gate, self._state(gated))]
        if not missing or not gated.is_new and Task.select().where(
                Task.deal == gated.deal_id, Task.rule == COMPLETE_DATA_RULE, Task.done_at.is_null()).exists():
            return
        self._add_task(gated.deal_id, COMPLETE_DATA_TEXT + ", ".join(missing), TaskType.CONFIRM, gated.manager_id,
                       self.now, COMPLETE_DATA_RULE)
        self.report.tasks_to_complete_data += 1
