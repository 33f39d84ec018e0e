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
from typing import Callable, Iterable

from app.domain import amocrm, clock, pipeline
from app.domain.amocrm import ContactRecord, Header, LeadRecord, RowRefused, StageMatcher, Table, fold
from app.domain.changes import Changes
from app.domain.codes import Role, TaskType
from app.services import deal_fields, numbering, people, permissions
from app.services.tasks import create_task
from app.store.db import database, note_deal_changed
from app.store.models import Contact, ContactChannel, Deal, Note, StageHistory, Task, TimelineEntry, User

IMPORT_TEXT = "Импорт из amoCRM"
COMPLETE_DATA_RULE = "import.complete_data"
COMPLETE_DATA_TEXT = "Дополнить данные: "
BATCH_SIZE = 500

CREATED, UPDATED, UNCHANGED, REFUSED, MERGED, WARNING = (
    "создана", "обновлена", "без изменений", "отказ", "контакт объединён", "предупреждение")
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
            "contacts_updated": self.contacts_updated, "notes": self.notes,
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


def read_leads(table: Table) -> tuple[list[LeadRecord], list[ReportLine]]:
    """The deals of a leads table and the rows refused while reading (line and reason)."""
    header = Header.read(table.header)
    records, refused = [], []
    for line, cells in table.rows:
        try:
            record = amocrm.lead_record(header.row(cells), line)
        except RowRefused as error:
            refused.append(ReportLine(table.name, line, REFUSED, str(error)))
            continue
        if record is not None:
            records.append(record)
    return records, refused


def read_contacts(table: Table) -> tuple[list[ContactRecord], list[ReportLine]]:
    """The people of a contacts table and the rows refused while reading."""
    header = Header.read(table.header, contacts=True)
    records, refused = [], []
    for line, cells in table.rows:
        try:
            record = amocrm.contact_record(header.row(cells), line)
        except RowRefused as error:
            refused.append(ReportLine(table.name, line, REFUSED, str(error)))
            continue
        if record is not None:
            records.append(record)
    return records, refused


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
                   refused_leads: list[ReportLine] = (), refused_contacts: Iterable[ReportLine] = (),
                   progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Import records (read from files or from the API) in batches; returns the report."""
    permissions.require(actor, permissions.move_action(pipeline.FIRST_STAGE.code))
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
        if options.dry_run:
            with database.atomic():
                _run(batches, _Importer(actor, options, matcher, report, file_names), progress, cancelled,
                     total)
                raise _DryRunDone
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
            importer.begin_batch()
            for kind, record in batch:
                if kind == "contact":
                    importer.contact_row(record)
                else:
                    importer.lead_row(record)
            importer.end_batch()
        done += len(batch)
        if progress:
            progress(done, total)


class _Importer:
    """The import's memory between rows and batches: who is who already, by ID, phone and e-mail."""

    def __init__(self, actor: User | None, options: ImportOptions, matcher: StageMatcher,
                 report: ImportReport, file_names: tuple[str, str]) -> None:
        self.actor, self.options, self.matcher, self.report = actor, options, matcher, report
        self.leads_file, self.contacts_file = file_names
        self.users = known_users()
        self.managers = {user_id for (user_id,) in User.select(User.id).where(User.role == Role.MANAGER).tuples()}
        self.by_phone: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        for contact_id, kind, value in ContactChannel.select(
                ContactChannel.contact, ContactChannel.kind, ContactChannel.value).order_by(ContactChannel.id).tuples():
            index = self.by_phone if kind == ContactChannel.PHONE else self.by_email
            index.setdefault(value.lower() if kind == ContactChannel.EMAIL else value, contact_id)
        self.contact_by_amo = dict(Contact.select(Contact.amo_id, Contact.id).where(
            Contact.amo_id.is_null(False)).tuples())
        self.deal_by_amo = dict(Deal.select(Deal.amo_id, Deal.id).where(Deal.amo_id.is_null(False)).tuples())
        self.order_nos = dict(Deal.select(Deal.order_no, Deal.id).tuples())
        self.by_name_phone: dict[tuple[str, str], int] = {}
        for deal_id, name, phone in (Deal.select(Deal.id, Deal.name, ContactChannel.value)
                                     .join(ContactChannel, on=(ContactChannel.contact == Deal.contact))
                                     .where(ContactChannel.kind == ContactChannel.PHONE).tuples()):
            self.by_name_phone.setdefault((fold(name), phone), deal_id)
        self.contact_touched: set[int] = set()

    # -- batches ---------------------------------------------------------------------------------
    def begin_batch(self) -> None:
        self.now = clock.now()
        self.channels: list[dict] = []
        self.history: list[dict] = []
        self.entries: list[dict] = []
        self.new_contacts: dict[int, ContactRecord] = {}
        self.search_pending: dict[int, tuple[list[str], int | None]] = {}  # new deals' words, contact
        self.contact_touched = set()
        self.gated: list[int] = []

    def end_batch(self) -> None:
        for model, rows in ((ContactChannel, self.channels), (StageHistory, self.history),
                            (TimelineEntry, self.entries)):
            for start in range(0, len(rows), 200):
                model.insert_many(rows[start:start + 200]).execute()
        for deal_id, (words, contact_id) in self.search_pending.items():
            if contact_id is not None and contact_id in self.new_contacts:
                contact = self.new_contacts[contact_id]
                text = deal_fields.search_words(words, [contact.full_name, contact.company],
                                                contact.phones, contact.emails)
                Deal.update(search_text=text).where(Deal.id == deal_id).execute()
            else:
                deal = Deal.get_by_id(deal_id)
                Deal.update(search_text=deal_fields.search_text(deal)).where(Deal.id == deal_id).execute()
        pending = set(self.search_pending)
        for deal in Deal.select().where(Deal.contact.in_(self.contact_touched - set(self.new_contacts))):
            if deal.id not in pending:
                Deal.update(search_text=deal_fields.search_text(deal)).where(Deal.id == deal.id).execute()
        for deal_id in self.gated:
            self._complete_data_task(deal_id)

    # -- contacts --------------------------------------------------------------------------------
    def contact_row(self, record: ContactRecord) -> None:
        self._warn(self.contacts_file, record)
        self.contact_for(record, None, self.contacts_file)

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
        contact_id = Contact.insert(
            full_name=record.full_name or (record.phones or record.emails or ["—"])[0],
            company=record.company, address=record.address, amo_id=record.amo_id,
            created_at=record.created_at or self.now, updated_at=self.now).execute()
        self.report.contacts_created += 1
        self.new_contacts[contact_id] = record
        self._add_channels(contact_id, record.phones, record.emails, 0)
        if record.amo_id is not None:
            self.contact_by_amo[record.amo_id] = contact_id
        return contact_id

    def _add_channels(self, contact_id: int, phones: list[str], emails: list[str], position: int) -> None:
        for kind, values, index in ((ContactChannel.PHONE, phones, self.by_phone),
                                    (ContactChannel.EMAIL, emails, self.by_email)):
            for value in values:
                self.channels.append({"contact": contact_id, "kind": kind, "value": value,
                                      "label": "", "position": position})
                position += 1
                index.setdefault(value, contact_id)

    def _complete_contact(self, contact_id: int, record: ContactRecord) -> None:
        if contact_id in self.new_contacts:  # created in this batch: its channels are still pending
            known = self.new_contacts[contact_id]
            phones = [p for p in record.phones if p not in known.phones]
            emails = [e for e in record.emails if e not in known.emails]
            known.phones += phones
            known.emails += emails
            self._add_channels(contact_id, phones, emails, 100)
            return
        contact = Contact.get_by_id(contact_id)
        present = {value for (value,) in ContactChannel.select(ContactChannel.value).where(
            ContactChannel.contact == contact_id).tuples()}
        phones = [p for p in record.phones if p not in present]
        emails = [e for e in record.emails if e not in present]
        values = {"full_name": contact.full_name or record.full_name, "company": contact.company or record.company,
                  "address": contact.address or record.address}
        if record.amo_id is not None and contact.amo_id is None and record.amo_id not in self.contact_by_amo:
            values["amo_id"] = record.amo_id
            self.contact_by_amo[record.amo_id] = contact_id
        changed = {key: value for key, value in values.items() if getattr(contact, key) != value}
        if not changed and not phones and not emails:
            return
        self._add_channels(contact_id, phones, emails, len(present))
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
        if record.amo_id is not None:
            return self.deal_by_amo.get(record.amo_id)
        if record.order_no is not None and record.order_no in self.order_nos:
            deal_id = self.order_nos[record.order_no]
            if Deal.select().where(Deal.id == deal_id, Deal.name == record.name).exists():
                return deal_id
        for phone in record.contact.phones if record.contact else ():
            if (fold(record.name), phone) in self.by_name_phone:
                return self.by_name_phone[(fold(record.name), phone)]
        return None

    def _values(self, record: LeadRecord, responsible: int | None) -> dict[str, object]:
        values = {"name": record.name[:255], "budget": record.budget, "tags": " ".join(record.tags),
                  "products": record.products, "source": record.source[:255]}
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
        order_no = record.order_no if record.order_no is not None and record.order_no not in self.order_nos \
            else numbering.next_number(numbering.ORDER_NO)
        if record.order_no is not None:
            numbering.ensure_at_least(numbering.ORDER_NO, order_no)
        created, updated, entered = self._dates(record)
        values = self._values(record, responsible)
        deal_id = Deal.insert(order_no=order_no, stage=record.stage, stage_entered_at=entered,
                              contact=contact_id, amo_id=record.amo_id, created_at=created,
                              updated_at=updated, **values).execute()
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
        self.search_pending[deal_id] = ([str(order_no), values["name"], values["tags"], values["products"]],
                                        contact_id)
        self._done(deal_id, record, CREATED)
        self.report.deals_created += 1

    def _update_deal(self, deal_id: int, record: LeadRecord, responsible: int | None) -> None:
        deal = Deal.get_by_id(deal_id)
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
        present = {text for (text,) in Note.select(Note.text).where(Note.deal == deal_id).tuples()}
        notes = [text for text in record.notes if text not in present]
        if not changed and not notes:
            self.report.deals_unchanged += 1
            return
        shown = [deal_fields.label(key.removesuffix("_id")) for key in changed
                 if key not in ("stage", "stage_entered_at", "amo_id", "manager_id")]
        if shown:
            self._entry(deal_id, TimelineEntry.CHANGE, f"{IMPORT_TEXT} — изменено: {', '.join(shown)}")
        self._notes(deal_id, notes)
        if changed:
            Deal.update(**changed, updated_at=max(updated, deal.updated_at), version=Deal.version + 1).where(
                Deal.id == deal_id).execute()
            self.search_pending[deal_id] = ([], None)
        note_deal_changed(deal_id)
        self.report.stages.add(deal.stage)
        self._done(deal_id, record, UPDATED)
        self.report.deals_updated += 1

    def _done(self, deal_id: int, record: LeadRecord, outcome: str) -> None:
        self.report.deal_ids.add(deal_id)
        self.report.stages.add(record.stage)
        stage = pipeline.stage(record.stage)
        if not stage.is_closed and any(s.gate and s.order <= stage.order for s in pipeline.STAGES):
            self.gated.append(deal_id)

    def _entry(self, deal_id: int, kind: str, text: str, note: int | None = None) -> None:
        self.entries.append({"deal": deal_id, "at": self.now, "user": self.actor, "kind": kind,
                             "text": text, "note": note})

    def _notes(self, deal_id: int, texts: list[str]) -> None:
        for text in texts:
            note_id = Note.insert(deal=deal_id, author=self.actor, text=text, at=self.now).execute()
            self._entry(deal_id, TimelineEntry.NOTE, text, note_id)
            self.report.notes += 1

    def _complete_data_task(self, deal_id: int) -> None:
        """The task «Дополнить данные: …» for a deal at or past a gate without the gate's fields."""
        deal = Deal.get_by_id(deal_id)
        stage = pipeline.stage(deal.stage)
        state = deal_fields.current_values(deal)
        missing: list[str] = []
        for gated in pipeline.STAGES:
            if gated.gate and gated.order <= stage.order:
                missing += [deal_fields.label(p.field) for p in deal_fields.gate_problems(gated, state)
                            if deal_fields.label(p.field) not in missing]
        if not missing or Task.select().where(Task.deal == deal_id, Task.rule == COMPLETE_DATA_RULE,
                                              Task.done_at.is_null()).exists():
            return
        user, group = people.addressee(deal, pipeline.TO_MANAGER)
        create_task(deal, None, text=COMPLETE_DATA_TEXT + ", ".join(missing), type=TaskType.CONFIRM,
                    user=user, group=group, rule=COMPLETE_DATA_RULE)
        self.report.tasks_to_complete_data += 1
