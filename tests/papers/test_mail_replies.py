"""Answering a client's letter from the deal card, and writing a new one, through the shop's SMTP
(a local aiosmtpd server): what the client receives, the timeline, refusals, drafts, a crash between
the send and its record — on both backends."""
from __future__ import annotations

import pytest

from app.domain import mail_reply
from app.domain.errors import PermissionDeniedError, ServiceError, ValidationError
from app.domain.mail_account import MailAccount
from app.integrations.smtp_mail import MailError
from app.services import deals, mail_intake, mail_replies, notes, outgoing_mail
from app.services.timeline import feed
from app.store.models import MailLetter, TimelineEntry
from tests import mail_samples as samples
from tests.papers import smtp_server
from tests.papers.smtp_server import LOGIN, PASSWORD
from tests.papers.test_papers_mail import mail_values

ACCOUNT = MailAccount("imap.example.ru", login=samples.SHOP)


@pytest.fixture
def server():
    controller, mailbox = smtp_server.start_server()
    yield controller, mailbox
    controller.stop()


@pytest.fixture
def letter(staff, db):
    """Ирина's deal and her letter on its timeline (taken in from the mailbox)."""
    deal = deals.create_deal(staff["manager"], name="Кровать Ирине", values={
        "contact.full_name": "Ирина Петрова", "contact.email": "client@yandex.ru"}).deal
    raw = samples.plain("q-1@yandex.ru", "Ирина Петрова <client@yandex.ru>", "Re: Кровать МИА",
                        "Когда будет готова кровать?\nИ какой цвет лучше?")
    assert mail_intake.take_letter(raw, ACCOUNT)[0] == MailLetter.ATTACHED
    [line] = [line for line in feed(deal.id) if line.kind == TimelineEntry.MAIL_IN]
    assert line.letter_id is not None
    return MailLetter.get_by_id(line.letter_id)


@pytest.fixture
def mailbox(staff, server):
    controller, received = server
    outgoing_mail.save_mail_settings(staff["admin"], mail_values(controller.port), PASSWORD)
    return received.messages


def test_reply_received_threaded_with_its_files_and_noted_on_the_timeline(staff, letter, mailbox, tmp_path):
    form = mail_replies.start_reply(letter.id, staff["manager"])
    assert (form.to, form.subject) == ("client@yandex.ru", "Re: Кровать МИА")  # not «Re: Re:»
    assert form.body.startswith("\n\n02.06.2025 11:40, Ирина Петрова <client@yandex.ru> написал(а):\n")
    assert "> Когда будет готова кровать?\n> И какой цвет лучше?" in form.body
    photo = tmp_path / "эскиз.jpg"
    photo.write_bytes(b"\xff\xd8 a sketch")
    brief = notes.attach_file(letter.deal_id, staff["manager"], photo, comment="").value
    body = "Готова к пятнице. Белый лучше." + form.body
    mail_replies.send_reply(letter.id, staff["manager"], form.to, form.subject, body,
                            deal_files=[brief.id], disk_files=[photo])
    [(recipients, message)] = mailbox
    assert recipients == ["client@yandex.ru"] and message["To"] == "client@yandex.ru"
    assert message["Subject"] == "Re: Кровать МИА" and LOGIN in message["From"]
    assert message["In-Reply-To"] == "<q-1@yandex.ru>" and message["References"] == "<q-1@yandex.ru>"
    assert message.get_body(("plain",)).get_content().startswith("Готова к пятнице. Белый лучше.\n\n02.06.2025")
    assert [(part.get_filename(), part.get_content()) for part in message.iter_attachments()] == [
        ("эскиз.jpg", b"\xff\xd8 a sketch"), ("эскиз.jpg", b"\xff\xd8 a sketch")]
    last = feed(letter.deal_id)[-1]
    assert last.kind == TimelineEntry.MAIL_OUT and last.user_name == staff["manager"].full_name
    assert last.text == ("Ответ на письмо «Re: Кровать МИА» отправлен на client@yandex.ru\n"
                         "Готова к пятнице. Белый лучше.\nВложения: эскиз.jpg, эскиз.jpg")
    sent = MailLetter.get(MailLetter.direction == MailLetter.OUTGOING)
    assert (sent.status, sent.reply_to_id, sent.deal_id, sent.to_addresses) == (
        MailLetter.SENT, letter.id, letter.deal_id, "client@yandex.ru")
    assert "<" + sent.message_id + ">" == message["Message-ID"] and sent.sent_at is not None


def test_new_letter_to_the_deals_contact(staff, letter, mailbox):
    form = mail_replies.start_letter(letter.deal_id, staff["manager"])
    assert (form.to, form.subject, form.body, form.reply_to) == ("client@yandex.ru", "", "", None)
    mail_replies.send_letter(letter.deal_id, staff["manager"], form.to, "Ваш заказ", "Кровать готова.")
    [(_, message)] = mailbox
    assert message["Subject"] == "Ваш заказ" and message["In-Reply-To"] is None
    assert feed(letter.deal_id)[-1].text == "Письмо «Ваш заказ» отправлено на client@yandex.ru\nКровать готова."


@pytest.mark.parametrize("to, subject, body, field, text", [
    ("", "Re: x", "текст", "Кому", "укажите адрес e-mail"),
    ("client@", "Re: x", "текст", "Кому", "Неверный e-mail"),
    ("client@yandex.ru", "Re: x", "  \n ", "Текст письма", "письмо пустое"),
    ("client@yandex.ru", "Т" * 256, "текст", "Тема", "не длиннее 255 знаков"),
    ("client@yandex.ru", "Re:\x07", "текст", "Тема", "управляющие"),
    ("client@yandex.ru", "Re: x", 5, "Текст письма", "нужен текст"),
])
def test_bad_letters_refused_naming_the_field_nothing_sent_or_written(staff, letter, mailbox, counts, to, subject,
                                                                     body, field, text):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        mail_replies.send_reply(letter.id, staff["manager"], to, subject, body)
    [problem] = refused.value.problems
    assert problem.label == field and text in problem.message and str(refused.value).startswith("Письмо не отправлено")
    with pytest.raises(ValidationError) as refused:
        mail_replies.send_letter(letter.deal_id, staff["manager"], to, subject, body)
    assert [problem.label for problem in refused.value.problems] == [field]
    assert mailbox == [] and counts() == before


def test_files_refused_when_too_big_missing_or_a_contract_without_the_right(staff, letter, mailbox, tmp_path,
                                                                              monkeypatch, counts):
    big = tmp_path / "big.bin"
    big.write_bytes(b"0" * (mail_reply.FILES_LIMIT + 1))
    before = counts()
    with pytest.raises(ValidationError, match="Вложения: вместе не больше 15 МБ"):
        mail_replies.send_reply(letter.id, staff["manager"], "client@yandex.ru", "Re: x", "текст", disk_files=[big])
    with pytest.raises(ValidationError, match="Вложения: не удалось прочитать «нет.pdf»"):
        mail_replies.send_reply(letter.id, staff["manager"], "client@yandex.ru", "Re: x", "текст",
                                disk_files=[tmp_path / "нет.pdf"])
    with pytest.raises(ValidationError, match="файл сделки не найден"):
        mail_replies.send_reply(letter.id, staff["manager"], "client@yandex.ru", "Re: x", "текст", deal_files=[999])
    assert mailbox == [] and counts() == before


def test_only_the_roles_that_send_papers_write_letters(staff, letter, mailbox):
    for action in (lambda: mail_replies.start_reply(letter.id, staff["constructor"]),
                   lambda: mail_replies.send_reply(letter.id, staff["constructor"], "client@yandex.ru", "Re", "т"),
                   lambda: mail_replies.send_letter(letter.deal_id, staff["constructor"], "client@yandex.ru", "", "т"),
                   lambda: mail_replies.save_draft(letter.deal_id, letter.id, staff["constructor"], "", "", "т")):
        with pytest.raises(PermissionDeniedError):
            action()
    assert mailbox == []


def test_failed_send_records_nothing_and_says_why_in_russian(staff, letter, server, counts):
    controller, received = server
    before = counts()
    with pytest.raises(MailError, match="Почта для отправки не настроена"):
        mail_replies.send_reply(letter.id, staff["manager"], "client@yandex.ru", "Re: x", "текст")
    outgoing_mail.save_mail_settings(staff["admin"], mail_values(controller.port), "не тот")
    with pytest.raises(MailError, match="не принял логин"):
        mail_replies.send_reply(letter.id, staff["manager"], "client@yandex.ru", "Re: x", "текст")
    outgoing_mail.save_mail_settings(staff["admin"], mail_values(smtp_server.free_port()), PASSWORD)
    with pytest.raises(MailError, match="Нет связи с почтовым сервером 127.0.0.1"):
        mail_replies.send_reply(letter.id, staff["manager"], "client@yandex.ru", "Re: x", "текст")
    after = counts()
    assert received.messages == [] and (after["MailLetter"], after["TimelineEntry"]) == (
        before["MailLetter"], before["TimelineEntry"])


def test_a_crash_between_the_send_and_its_record_stays_in_view_and_is_not_sent_again(staff, letter, mailbox,
                                                                                      monkeypatch):
    outgoing = mail_replies.prepare_reply(letter.id, staff["manager"], "client@yandex.ru", "Re: x", "текст").value
    outgoing.send()  # the server took it; the program died before recording it
    row = MailLetter.get_by_id(outgoing.letter_id)
    assert row.status == MailLetter.SENDING
    last = feed(letter.deal_id)[-1]
    assert last.kind == TimelineEntry.MAIL_OUT and "client@yandex.ru: отправка не подтверждена" in last.text
    monkeypatch.setattr(mail_replies, "record_letter_sent", lambda *args: (_ for _ in ()).throw(RuntimeError))
    with pytest.raises(RuntimeError):  # the same through send_prepared: sent once, the line stays
        mail_replies.send_reply(letter.id, staff["manager"], "client@yandex.ru", "Re: y", "текст")
    assert len(mailbox) == 2
    assert MailLetter.select().where(MailLetter.status == MailLetter.SENDING).count() == 2


def test_a_letter_left_sending_is_resolved_by_asking_never_sent_again(staff, letter, mailbox, fake_clock, tmp_path):
    from datetime import timedelta

    photo = tmp_path / "эскиз.jpg"
    photo.write_bytes(b"jpeg")
    left = mail_replies.prepare_reply(letter.id, staff["manager"], "client@yandex.ru", "Re: x", "Ушло",
                                      disk_files=[photo]).value
    lost = mail_replies.prepare_letter(letter.deal_id, staff["manager"], "client@yandex.ru", "Доставка",
                                       "Не ушло").value
    [first, second] = [line for line in feed(letter.deal_id) if line.unconfirmed_id]
    assert (first.unconfirmed_id, second.unconfirmed_id) == (left.letter_id, lost.letter_id)
    with pytest.raises(ServiceError, match="ещё отправляется"):  # maybe still on its way: not yet
        mail_replies.resolve_unconfirmed(left.letter_id, staff["manager"], sent=True)
    fake_clock.advance(timedelta(minutes=3))
    with pytest.raises(PermissionDeniedError):
        mail_replies.resolve_unconfirmed(left.letter_id, staff["constructor"], sent=True)
    mail_replies.resolve_unconfirmed(left.letter_id, staff["manager"], sent=True)
    mail_replies.resolve_unconfirmed(lost.letter_id, staff["manager"], sent=False)
    with pytest.raises(ServiceError, match="уже отмечено"):
        mail_replies.resolve_unconfirmed(lost.letter_id, staff["manager"], sent=True)
    lines = [line for line in feed(letter.deal_id) if line.kind == TimelineEntry.MAIL_OUT]
    assert [line.text for line in lines] == [
        "Ответ на письмо «Re: Кровать МИА» отправлен на client@yandex.ru\nУшло\nВложения: эскиз.jpg"]
    assert MailLetter.get_by_id(left.letter_id).status == MailLetter.SENT and mailbox == []  # nothing resent


def test_a_draft_is_kept_per_user_and_letter_until_sent(staff, letter, mailbox):
    manager = staff["manager"]
    mail_replies.save_draft(letter.deal_id, letter.id, manager, "client@yandex.ru", "Re: Кровать МИА", "Черновик")
    mail_replies.save_draft(letter.deal_id, letter.id, manager, "client@yandex.ru", "Re: Кровать МИА", "Черновик 2")
    form = mail_replies.start_reply(letter.id, manager)
    assert (form.body, form.from_draft) == ("Черновик 2", True)
    assert not mail_replies.start_letter(letter.deal_id, manager).from_draft  # a new letter has its own
    assert not mail_replies.start_reply(letter.id, staff["admin"]).from_draft  # another user's is not shown
    with pytest.raises(ValidationError, match="Черновик не сохранён: Тема: недопустимые"):
        mail_replies.save_draft(letter.deal_id, letter.id, manager, "", "\x00", "")
    mail_replies.send_reply(letter.id, manager, form.to, form.subject, form.body)
    assert not mail_replies.start_reply(letter.id, manager).from_draft
    assert MailLetter.select().where(MailLetter.status == MailLetter.DRAFT).count() == 0
    assert TimelineEntry.select().where(TimelineEntry.kind == TimelineEntry.MAIL_OUT).count() == 1


def test_a_letter_of_a_lead_is_answered_from_its_line(staff, db):
    status, deal = mail_intake.take_letter(samples.plain(), ACCOUNT)
    assert status == MailLetter.LEAD_CREATED
    [line] = [line for line in feed(deal.id) if line.kind == TimelineEntry.MAIL_IN]
    form = mail_replies.start_reply(line.letter_id, staff["manager"])
    assert (form.to, form.subject) == ("malga.gaganita@gmail.ru", "Re: Детские кровати Маня кровать МИА 45-02-17")


def test_letters_taken_in_before_the_upgrade_get_their_lines_back(staff, letter):
    from app.store import migrations
    from app.store.db import database

    entry_id = letter.entry_id
    MailLetter.update(entry=None).where(MailLetter.id == letter.id).execute()
    migrations._m015_mail_replies(database.obj)  # also a no-op on its columns, already there
    assert MailLetter.get_by_id(letter.id).entry_id == entry_id


@pytest.mark.parametrize("name", ["start_reply", "save_draft", "prepare_reply", "prepare_letter"])
def test_junk_gets_the_services_own_error_and_writes_nothing(staff, letter, mailbox, name):
    from tests.domain.test_junk_input import assert_junk_refused

    manager, deal_id = staff["manager"], letter.deal_id
    typed = dict(to="client@yandex.ru", subject="Re: Кровать МИА", body="Готова к пятнице.")
    entries = {
        "start_reply": (lambda letter_id: mail_replies.start_reply(letter_id, manager), dict(letter_id=letter.id)),
        "save_draft": (lambda deal_id, reply_to, to, subject, body: mail_replies.save_draft(
            deal_id, reply_to, manager, to, subject, body), dict(deal_id=deal_id, reply_to=letter.id, **typed)),
        "prepare_reply": (lambda letter_id, to, subject, body, deal_files, disk_files: mail_replies.prepare_reply(
            letter_id, manager, to, subject, body, deal_files, disk_files),
            dict(letter_id=letter.id, deal_files=[], disk_files=[], **typed)),
        "prepare_letter": (lambda deal_id, to, subject, body, deal_files, disk_files: mail_replies.prepare_letter(
            deal_id, manager, to, subject, body, deal_files, disk_files),
            dict(deal_id=deal_id, deal_files=[], disk_files=[], **typed)),
    }
    call, valid = entries[name]
    assert_junk_refused(name, call, valid, ["mail.to"], examples=30)
