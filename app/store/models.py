"""The shop's data: people, contacts, deals, their history, tasks, notes, files, SMS, audit.

Money is integer kopecks; datetimes are naive UTC (see app.domain.clock). Every editable row carries a
``version`` for optimistic concurrency between PCs.
"""
from __future__ import annotations

import peewee as pw

from app.domain import clock
from app.domain.codes import OrderKind, Role, TaskType
from app.domain.sms_status import SmsState
from app.store.db import database


class DaysField(pw.Field):
    """A length of time in (fractional) days as the database computed it: NUMERIC, which keeps
    PostgreSQL's exact quotient and SQLite's floating-point one."""

    field_type = "NUMERIC"


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


class Group(BaseModel):
    """A group tasks can be addressed to, e.g. «Магазины» (all shop staff)."""

    name = pw.CharField(unique=True)


class User(BaseModel):
    login = pw.CharField(unique=True)
    full_name = pw.CharField()
    role = pw.CharField(index=True)
    password_hash = pw.CharField(null=True)  # argon2 hash of the password or PIN, never clear text
    active = pw.BooleanField(default=True)
    failed_logins = pw.IntegerField(default=0)  # wrong passwords in a row (reset on success)
    login_not_before = pw.DateTimeField(null=True)  # no sign-in attempt accepted before this
    created_at = pw.DateTimeField(default=clock.now)
    version = pw.IntegerField(default=1)

    @property
    def role_name(self) -> str:
        return Role.NAMES.get(self.role, self.role)


class UserGroup(BaseModel):
    user = pw.ForeignKeyField(User, backref="memberships", on_delete="CASCADE")
    group = pw.ForeignKeyField(Group, backref="memberships", on_delete="CASCADE")

    class Meta:
        indexes = ((("user", "group"), True),)


class Contact(BaseModel):
    full_name = pw.CharField()
    company = pw.CharField(default="")
    address = pw.TextField(default="")
    amo_id = pw.BigIntegerField(null=True, unique=True)  # the contact's ID in amoCRM, once imported
    created_at = pw.DateTimeField(default=clock.now)
    updated_at = pw.DateTimeField(default=clock.now)
    version = pw.IntegerField(default=1)


class ContactChannel(BaseModel):
    """A phone (normalised E.164) or an e-mail of a contact."""

    PHONE = "phone"
    EMAIL = "email"

    contact = pw.ForeignKeyField(Contact, backref="channels", on_delete="CASCADE")
    kind = pw.CharField()
    value = pw.CharField(index=True)
    label = pw.CharField(default="")
    position = pw.IntegerField(default=0)


class Passport(BaseModel):
    """Passport data (152-ФЗ personal data), kept apart from the contact on purpose."""

    contact = pw.ForeignKeyField(Contact, unique=True, backref="passport_rows", on_delete="CASCADE")
    series = pw.CharField()
    number = pw.CharField()
    updated_at = pw.DateTimeField(default=clock.now)


class Deal(BaseModel):
    order_no = pw.IntegerField(unique=True)
    name = pw.CharField()
    budget = pw.BigIntegerField(default=0)  # kopecks
    stage = pw.CharField(index=True)
    stage_entered_at = pw.DateTimeField(default=clock.now)
    kind = pw.CharField(default=OrderKind.STANDARD)
    contact = pw.ForeignKeyField(Contact, null=True, backref="deals", on_delete="SET NULL")
    responsible = pw.ForeignKeyField(User, null=True, backref="deals_responsible")
    manager = pw.ForeignKeyField(User, null=True, backref="deals_managed")
    tags = pw.CharField(default="")  # space separated, as typed: «инд срочно»
    products = pw.TextField(default="")  # bed model and options, e.g. «Ярус с комодом»
    source = pw.CharField(default="")  # where the lead came from: «e-mail», «сайт», amoCRM's «Источник»
    amo_id = pw.BigIntegerField(null=True, unique=True)  # the lead's ID in amoCRM, once imported
    assembly_needed = pw.BooleanField(default=False)
    # payment and delivery («Оплачено» gate)
    payment_date = pw.DateField(null=True)
    prepayment = pw.BigIntegerField(null=True)  # kopecks
    debt = pw.BigIntegerField(null=True)  # kopecks
    debt_manual = pw.BooleanField(default=False)
    ship_deadline = pw.DateField(null=True)
    delivery_type = pw.CharField(default="")
    delivery_city = pw.CharField(default="")
    planned_delivery_date = pw.DateField(null=True)
    transport_company = pw.CharField(default="")
    waybill_no = pw.CharField(default="")
    # board support: lower-cased text of everything a search may hit
    search_text = pw.TextField(default="")
    created_at = pw.DateTimeField(default=clock.now, index=True)
    updated_at = pw.DateTimeField(default=clock.now, index=True)
    version = pw.IntegerField(default=1)

    class Meta:
        # (stage, budget): the board's column totals; see migration 2
        # (debt), (payment_date): the analytics' debts and prepayments; see migration 9
        # (created_at, source, stage, budget): the analytics' sources from the index alone (migration 18)
        indexes = ((("stage", "updated_at"), False), (("stage", "budget"), False), (("debt",), False),
                   (("payment_date",), False), (("created_at", "source", "stage", "budget"), False))


class DealCopies(BaseModel):
    """The deal's columns the analytics' filters read (kind, source, responsible, manager) on a row of
    the deal's (its moves, its tasks), kept equal to the deal's by triggers (app.store.deal_copies):
    a filtered report reads the row's indexes alone. No table of its own."""

    deal_kind = pw.CharField(null=True)
    deal_source = pw.CharField(null=True)
    deal_responsible = pw.IntegerField(null=True)
    deal_manager = pw.IntegerField(null=True)

    @classmethod
    def copies(cls) -> list[pw.Field]:
        """The copies' fields, last in an index that a filter reads."""
        return [cls.deal_kind, cls.deal_source, cls.deal_responsible, cls.deal_manager]


class StageHistory(DealCopies):
    deal = pw.ForeignKeyField(Deal, backref="history", on_delete="CASCADE")
    from_stage = pw.CharField(null=True)
    to_stage = pw.CharField()
    user = pw.ForeignKeyField(User, null=True)
    at = pw.DateTimeField(default=clock.now)
    # when the deal entered from_stage (its move before this one): the stay this move ends; written
    # by a trigger with every insert (app.store.stage_stays), None for a deal's first move
    from_entered_at = pw.DateTimeField(null=True)
    # the stay's length in days, at − from_entered_at, written by the same trigger (NUMERIC: exact on
    # PostgreSQL; SQLite keeps its julianday difference): the analytics rank the stays by it
    stay_days = DaysField(null=True)
    # the stage of the deal's move after this one (None for its latest), by the same trigger
    next_stage = pw.CharField(null=True)

    class Meta:
        # a deal's moves in order (with their stage): the triggers' and the lead time's lookups
        indexes = ((("deal", "at", "id", "to_stage"), False),)


# the analytics' indexes, each answering its queries alone, filtered or not (the filter columns
# last, migration 20): the moves into a stage within a period (with their deal and the stage left),
# the stays ended in a stage within a period (with their deal and length: their counts), the stays
# of a stage by length (the percentiles walk it), a stage's moves by deal (with the stage each went
# on to: the funnel)
HISTORY_INDEXES = {
    "stage_history_moves_in": (StageHistory.to_stage, StageHistory.at, StageHistory.deal, StageHistory.from_stage),
    "stage_history_stays_in": (StageHistory.from_stage, StageHistory.at, StageHistory.deal, StageHistory.stay_days),
    "stage_history_stays_by_length": (StageHistory.from_stage, StageHistory.stay_days, StageHistory.at),
    "stage_history_moves_by_deal": (StageHistory.to_stage, StageHistory.deal, StageHistory.at,
                                    StageHistory.next_stage)}
for _name, _columns in HISTORY_INDEXES.items():
    StageHistory.add_index(*_columns, *StageHistory.copies(), name=_name)


class Task(DealCopies):
    deal = pw.ForeignKeyField(Deal, null=True, backref="tasks", on_delete="CASCADE")
    type = pw.CharField(default=TaskType.CONTACT)
    text = pw.TextField()
    assignee_user = pw.ForeignKeyField(User, null=True, backref="tasks")
    assignee_group = pw.ForeignKeyField(Group, null=True, backref="tasks")
    due_at = pw.DateTimeField(index=True)
    all_day = pw.BooleanField(default=False)
    created_by = pw.ForeignKeyField(User, null=True)
    created_at = pw.DateTimeField(default=clock.now)
    rule = pw.CharField(null=True)  # code of the automatic rule that made it, None when set by hand
    parent = pw.ForeignKeyField("self", null=True, backref="children", on_delete="SET NULL")
    result = pw.TextField(null=True)
    done_at = pw.DateTimeField(null=True, index=True)
    done_by = pw.ForeignKeyField(User, null=True)
    version = pw.IntegerField(default=1)

    class Meta:
        # a deal's open tasks, for board cards
        indexes = ((("deal", "done_at"), False),)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


# the tasks done within a period by whom, on time or late, with their deal's copies last: the
# analytics' people from the index alone, filtered or not (migrations 18, 19)
Task.add_index(Task.done_at, Task.done_by, Task.all_day, Task.due_at, *Task.copies(), name="task_done")

# The reminders' counts: open tasks by due time, with what they count by (a partial index, so
# the years of done tasks are not in it); see migration 8.
Task.add_index(Task.index(Task.due_at, Task.all_day, Task.assignee_user, Task.assignee_group,
                          where=Task.done_at.is_null(), name="task_open_due"))


class TaskReminder(BaseModel):
    """Which task was shown to which person (on any PC) and until when they snoozed it.

    One row per (task, user). ``due_at`` is the task's due when it was shown, so a task moved to a
    new time reminds again; ``snoozed_until`` brings a snoozed task back at that moment.
    """

    task = pw.ForeignKeyField(Task, backref="reminders", on_delete="CASCADE")
    user = pw.ForeignKeyField(User, backref="reminders", on_delete="CASCADE")
    due_at = pw.DateTimeField()
    shown_at = pw.DateTimeField()
    snoozed_until = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("task", "user"), True),)


class Note(BaseModel):
    deal = pw.ForeignKeyField(Deal, backref="notes", on_delete="CASCADE")
    author = pw.ForeignKeyField(User, null=True)
    text = pw.TextField()
    at = pw.DateTimeField(default=clock.now)


class Attachment(BaseModel):
    """A file copied into the managed folder; ``stored_name`` is ours, never the user's path."""

    KINDS = {
        "brief": "Бриф",
        "design": "Дизайн",
        "order_form": "БЗ",
        "drawing": "Чертеж",
        "assembly_drawing": "Сборочный чертеж",
        "invoice": "Счёт",
        "contract": "Договор",
        "other": "Файл",
    }

    deal = pw.ForeignKeyField(Deal, backref="attachments", on_delete="CASCADE")
    kind = pw.CharField(default="other")
    original_name = pw.CharField()
    stored_name = pw.CharField(unique=True)
    size = pw.BigIntegerField()
    sha256 = pw.CharField()
    added_by = pw.ForeignKeyField(User, null=True)
    added_at = pw.DateTimeField(default=clock.now)


class OutboxSms(BaseModel):
    """An SMS of a deal: filled from a template (or written by hand), sent once by a gateway.

    States (app.domain.sms_status.SmsState): к отправке → отправляется → отправлено → доставлено /
    не доставлено / ошибка, or отменено. A sender claims a row (pending → sending) before calling the
    gateway, so two PCs never send the same SMS.
    """

    PENDING = SmsState.PENDING

    deal = pw.ForeignKeyField(Deal, backref="sms", on_delete="CASCADE")
    phone = pw.CharField(default="")
    template = pw.CharField()  # the template's name, "" for a one-off SMS
    text = pw.TextField()
    status = pw.CharField(default=PENDING)
    created_at = pw.DateTimeField(default=clock.now)
    created_by = pw.ForeignKeyField(User, null=True)
    gateway = pw.CharField(default="")  # the gateway that took it ("smsru", "smsc")
    gateway_id = pw.CharField(default="")
    cost = pw.BigIntegerField(null=True)  # kopecks
    parts = pw.IntegerField(null=True)
    attempts = pw.IntegerField(default=0)
    next_attempt_at = pw.DateTimeField(null=True)  # a retry waits until then
    last_error = pw.TextField(default="")
    sending_at = pw.DateTimeField(null=True)  # claimed by a sender
    sent_at = pw.DateTimeField(null=True)
    delivered_at = pw.DateTimeField(null=True)
    failed_at = pw.DateTimeField(null=True)  # «ошибка» or «не доставлено»
    cancelled_at = pw.DateTimeField(null=True)
    checked_at = pw.DateTimeField(null=True)  # the gateway last asked about delivery

    class Meta:
        indexes = ((("status", "next_attempt_at"), False),)  # what is due, for every sender


class TimelineEntry(BaseModel):
    """One line of a deal's feed; ``kind`` says which of the references is set."""

    STAGE = "stage"
    DEAL_CREATED = "deal_created"
    CONTACT_CREATED = "contact_created"
    TASK_CREATED = "task_created"
    TASK_DONE = "task_done"
    NOTE = "note"
    FILE = "file"
    SMS = "sms"
    CHANGE = "change"
    MAIL_IN = "mail_in"  # «Входящее письмо» (app.services.mail_intake)
    MAIL_OUT = "mail_out"  # «Письмо отправлено» (app.services.outgoing_mail)

    deal = pw.ForeignKeyField(Deal, backref="timeline", on_delete="CASCADE")
    at = pw.DateTimeField(default=clock.now)
    user = pw.ForeignKeyField(User, null=True)
    kind = pw.CharField()
    text = pw.TextField()
    task = pw.ForeignKeyField(Task, null=True, on_delete="SET NULL")
    note = pw.ForeignKeyField(Note, null=True, on_delete="SET NULL")
    attachment = pw.ForeignKeyField(Attachment, null=True, on_delete="SET NULL")
    sms = pw.ForeignKeyField(OutboxSms, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("deal", "at"), False),)


class AuditEntry(BaseModel):
    at = pw.DateTimeField(default=clock.now, index=True)
    user = pw.ForeignKeyField(User, null=True)
    action = pw.CharField()
    deal = pw.ForeignKeyField(Deal, null=True, on_delete="SET NULL")
    details = pw.TextField(default="")


class Counter(BaseModel):
    """Named sequences (order numbers, cut sheets) advanced inside the writer's transaction."""

    name = pw.CharField(primary_key=True)
    value = pw.BigIntegerField(default=0)


class ChangeLog(BaseModel):
    """Which deals each committed write touched, keyed by the change counter's value
    (written by app.store.tracked_db; other PCs read it to refresh)."""

    seq = pw.BigIntegerField(index=True)
    deal_id = pw.IntegerField(null=True)


class Setting(BaseModel):
    """Shop-wide settings (per-PC ones live in QSettings)."""

    key = pw.CharField(primary_key=True)
    value = pw.TextField()


class ProductionForm(BaseModel):
    """The production order form's own fields (бланк заказа для производства), one per deal."""

    deal = pw.ForeignKeyField(Deal, unique=True, backref="production_forms", on_delete="CASCADE")
    bed_model = pw.CharField(default="")
    dimensions = pw.CharField(default="")  # «1900×800, спальное место 1800×800»
    colour = pw.CharField(default="")  # colour / paint
    options = pw.TextField(default="")
    updated_at = pw.DateTimeField(default=clock.now)


class BandingType(BaseModel):
    """One edge banding of the shop's list; the parts specification's edges store its ``code``."""

    code = pw.CharField(max_length=20, unique=True)
    name = pw.CharField(max_length=40, unique=True)
    thickness = pw.DecimalField(max_digits=4, decimal_places=2)  # mm
    overhang = pw.IntegerField(default=20)  # mm added per banded edge
    compensate = pw.BooleanField(default=False)  # the part is cut smaller by the thickness
    active = pw.BooleanField(default=True)  # offered for new specifications
    position = pw.IntegerField(default=0)


class PartSpec(BaseModel):
    """One line of a deal's parts specification (sizes in mm, edge banding per edge in mm)."""

    deal = pw.ForeignKeyField(Deal, backref="parts", on_delete="CASCADE")
    position = pw.IntegerField(default=0)
    name = pw.CharField()
    material = pw.CharField(default="")
    thickness = pw.DecimalField(max_digits=6, decimal_places=1, default=0)
    length = pw.IntegerField()
    width = pw.IntegerField()
    quantity = pw.IntegerField(default=1)
    # edge banding: "" (none) or a BandingType code such as "0.4", "2"; L = long edges, W = short edges
    edge_l1 = pw.CharField(default="")
    edge_l2 = pw.CharField(default="")
    edge_w1 = pw.CharField(default="")
    edge_w2 = pw.CharField(default="")
    may_rotate = pw.BooleanField(default=True)  # False: the grain direction fixes the part
    notes = pw.TextField(default="")

    class Meta:
        indexes = ((("deal", "position"), False),)


class HardwareSpec(BaseModel):
    """One line of a deal's hardware specification."""

    deal = pw.ForeignKeyField(Deal, backref="hardware", on_delete="CASCADE")
    position = pw.IntegerField(default=0)
    item = pw.CharField()
    article = pw.CharField(default="")
    quantity = pw.DecimalField(max_digits=10, decimal_places=2, default=1)
    unit = pw.CharField(default="шт")

    class Meta:
        indexes = ((("deal", "position"), False),)


class CutSheet(BaseModel):
    """A numbered cut sheet (лист раскроя); its number is never reused, also once cancelled."""

    ACTIVE = "active"
    CUT = "cut"
    CANCELLED = "cancelled"
    STATUS_NAMES = {ACTIVE: "действует", CUT: "раскроен", CANCELLED: "аннулирован"}

    number = pw.IntegerField(unique=True)
    material = pw.CharField(default="")
    status = pw.CharField(default=ACTIVE, index=True)
    created_by = pw.ForeignKeyField(User, null=True)
    created_at = pw.DateTimeField(default=clock.now)
    cancelled_by = pw.ForeignKeyField(User, null=True)
    cancelled_at = pw.DateTimeField(null=True)
    cancel_reason = pw.TextField(default="")
    version = pw.IntegerField(default=1)
    cut_by = pw.ForeignKeyField(User, null=True)  # who marked it «Раскроено»
    cut_at = pw.DateTimeField(null=True)
    use_offcuts = pw.BooleanField(default=True)  # the layouts may take stored offcuts
    offcuts_chosen = pw.BooleanField(default=False)  # its layouts reserved the offcuts they take


class CutSheetOrder(BaseModel):
    """An order on a cut sheet (an order can be on several sheets, e.g. one per material)."""

    cut_sheet = pw.ForeignKeyField(CutSheet, backref="orders", on_delete="CASCADE")
    deal = pw.ForeignKeyField(Deal, backref="cut_sheet_links", on_delete="CASCADE")
    position = pw.IntegerField(default=0)

    class Meta:
        indexes = ((("cut_sheet", "deal"), True),)


class Offcut(BaseModel):
    """A stored offcut («деловой остаток»): a numbered rectangle of a material left over on a board of
    a cut sheet, kept for the next sheets. A sheet whose layouts take it reserves it
    (``reserved_for``); cutting that sheet uses it up; the administrator may write it off."""

    STORED = "stored"
    USED = "used"
    WRITTEN_OFF = "written_off"
    STATUS_NAMES = {STORED: "на складе", USED: "использован", WRITTEN_OFF: "списан"}

    number = pw.IntegerField(unique=True)
    material = pw.CharField()
    length = pw.IntegerField()
    width = pw.IntegerField()
    status = pw.CharField(default=STORED, index=True)
    from_sheet = pw.ForeignKeyField(CutSheet, null=True, backref="offcuts_made", on_delete="SET NULL")
    reserved_for = pw.ForeignKeyField(CutSheet, null=True, backref="offcuts_reserved", on_delete="SET NULL")
    used_on = pw.ForeignKeyField(CutSheet, null=True, backref="offcuts_used", on_delete="SET NULL")
    created_by = pw.ForeignKeyField(User, null=True)
    created_at = pw.DateTimeField(default=clock.now)
    closed_by = pw.ForeignKeyField(User, null=True)  # who used it up or wrote it off
    closed_at = pw.DateTimeField(null=True)


class MailLetter(BaseModel):
    """A letter of the shop's mailbox, recorded once by its Message-ID (or the hash of its headers) in
    the transaction that made its lead or timeline line, so it is never handled twice."""

    LEAD_CREATED = "lead_created"
    ATTACHED = "attached"
    SKIPPED = "skipped"
    FAILED = "failed"
    # a letter written on the card (app.services.mail_replies): a draft, being handed to the server
    # (recorded before the send: a crash before «sent» leaves it visible, never sent again), sent
    DRAFT, SENDING, SENT = "draft", "sending", "sent"
    INCOMING, OUTGOING = "in", "out"

    message_id = pw.CharField(unique=True)
    mailbox = pw.CharField()  # the account it was read from, «krovatispb@gmail.com»
    folder = pw.CharField(default="")
    uidvalidity = pw.BigIntegerField(null=True)
    uid = pw.BigIntegerField(null=True)
    direction = pw.CharField(default=INCOMING)
    deal = pw.ForeignKeyField(Deal, null=True, backref="letters", on_delete="SET NULL")
    from_name = pw.CharField(default="")
    from_address = pw.CharField(default="", index=True)
    to_addresses = pw.TextField(default="")
    subject = pw.TextField(default="")
    body = pw.TextField(default="")
    sent_at = pw.DateTimeField(null=True)
    received_at = pw.DateTimeField(default=clock.now)
    status = pw.CharField()
    reason = pw.TextField(default="")  # why it was skipped or failed; what could not be read
    entry = pw.ForeignKeyField(TimelineEntry, null=True, on_delete="SET NULL")  # its line on the deal's timeline
    reply_to = pw.ForeignKeyField("self", null=True, backref="replies", on_delete="SET NULL")  # the letter answered
    written_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")  # who wrote it on the card
    file_names = pw.TextField(default="")  # a written letter's attached files, one name a line


class MailFolder(BaseModel):
    """How far the reading of one mailbox folder got (per UIDVALIDITY), and which PC reads it now:
    the lease a PC takes before reading, so one PC at a time fetches the letters."""

    name = pw.CharField(primary_key=True)  # «login@host/INBOX»
    uidvalidity = pw.BigIntegerField(null=True)
    last_uid = pw.BigIntegerField(default=0)
    since = pw.DateField(null=True)  # letters received before this day are never read (the old history)
    holder = pw.CharField(default="")  # the PC reading now («host:pid:…»), "" when nobody
    held_until = pw.DateTimeField(null=True)
    checked_at = pw.DateTimeField(null=True)
    last_error = pw.TextField(default="")


class Invoice(BaseModel):
    """An invoice given to a client: its number is sequential per year and never reused
    (``Counter`` «invoice_no:YEAR»), also when the deal changes later."""

    year = pw.IntegerField()
    number = pw.IntegerField()
    deal = pw.ForeignKeyField(Deal, null=True, backref="invoices", on_delete="SET NULL")
    amount = pw.BigIntegerField()  # kopecks: the invoice's total
    to_pay = pw.BigIntegerField()  # kopecks asked for now (the prepayment; the QR's sum)
    valid_until = pw.DateField()
    created_by = pw.ForeignKeyField(User, null=True)
    created_at = pw.DateTimeField(default=clock.now)
    attachment = pw.ForeignKeyField(Attachment, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("year", "number"), True),)

    @property
    def code(self) -> str:
        """«2026-014»: the year and the number within it."""
        return f"{self.year}-{self.number:03d}"


ALL_MODELS = [
    Group, User, UserGroup, Contact, ContactChannel, Passport, Deal, StageHistory, Task, Note,
    Attachment, OutboxSms, TimelineEntry, AuditEntry, Counter, Setting, TaskReminder,
    ProductionForm, PartSpec, HardwareSpec, CutSheet, CutSheetOrder, ChangeLog, MailLetter, MailFolder, Invoice,
    BandingType,
    Offcut,
]
