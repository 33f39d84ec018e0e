"""The shop's mailbox feeds «Неразобранное»: letters read from a real IMAP server (Dovecot on
127.0.0.1) become leads or join their client's deal, each exactly once — after a second round, a lost
position, a new UIDVALIDITY and with two PCs reading at once — on both backends."""
from __future__ import annotations

import json
import ssl
import threading
from datetime import datetime, timedelta, timezone

import pytest

import main
from app.domain.mail_letters import parse_letter
from app.integrations.imap_mail import ImapFolder, MailboxError, check_account
from app.queries.board import cards
from app.services import deals, mail_intake
from app.store import files
from app.store.db import copy_sqlite, database
from app.store.models import Attachment, ContactChannel, Deal, MailFolder, MailLetter, Note, Task, TimelineEntry
from tests import mail_samples as samples
from tests.mail_server import LOGIN, dovecot_session, free_port

OWN = frozenset({samples.SHOP})


@pytest.fixture(scope="session")
def mail_server():
    """Dovecot on 127.0.0.1, once for the session (skips where it cannot start)."""
    yield from dovecot_session()


def letters_of_a_day() -> list[bytes]:
    """Twelve letters: six leads, two from clients with open deals, four to skip."""
    return [
        samples.plain(),  # a new client, a phone in the text
        samples.in_charset("windows-1251", "c1@yandex.ru", "Когда будет готова кровать?\n\n"
                           "Пн, 2 июня 2025 г. в 10:00, Маня <krovatispb@gmail.com>:\n> Заказ принят", "Кровать"),
        samples.in_charset("koi8-r", "k1@mail.ru", "Хочу новую кровать", "Снова к вам", "old@mail.ru"),
        samples.html_only(),
        samples.with_attachments(),
        samples.site_form(),
        samples.auto_reply(),
        samples.bounce(),
        samples.plain(subject="Повтор того же письма"),  # the same Message-ID as the first
        samples.plain("own-1@gmail.com", f"Магазин <{samples.SHOP}>", "Счёт", "Высылаем счёт"),
        samples.broken(),
        samples.plain("phone-1@mail.ru", "Ольга <olga.work@mail.ru>", "Re: заявка",
                      "Перезвоните мне на 8 (911) 222-33-44, пожалуйста"),  # the site form's client, by phone
    ]


def _client_deals(staff):
    irina = deals.create_deal(staff["manager"], name="Кровать Ирине", values={
        "contact.full_name": "Ирина Петрова", "contact.email": "client@yandex.ru"}).deal
    old = deals.create_deal(staff["manager"], name="Старый заказ", values={
        "contact.full_name": "Пётр Старый", "contact.email": "old@mail.ru"}).deal
    deals.move_deal(old.id, "lost", staff["manager"])
    return irina, old


def _deal(name: str) -> Deal:
    return Deal.get(Deal.name == name)


def _feed(deal: Deal) -> list[str]:
    return [entry.text for entry in TimelineEntry.select().where(TimelineEntry.deal == deal).order_by(TimelineEntry.id)]


def test_a_days_letters_become_leads_or_join_their_clients_deals(db, staff, mail_server):
    irina, old = _client_deals(staff)
    account = mail_server.account(mail_server.new_folder(*letters_of_a_day()))

    result = mail_intake.fetch_mail(account, ImapFolder, own_addresses=OWN)

    assert result.as_json() == {"letters": 12, "leads_created": 6, "attached_to_deals": 2, "skipped": 4, "failed": 0}
    new = Deal.select().where(Deal.id.not_in([irina.id, old.id]))
    assert {deal.stage for deal in new} == {"new"} and {deal.source for deal in new} == {"e-mail"}
    assert Task.select().where(Task.deal.in_(new)).count() >= 6  # each lead has its automatic task

    lead = _deal("Детские кровати Маня кровать МИА 45-02-17")
    assert lead.contact.full_name == "Мальга Ганита"
    assert {(c.kind, c.value) for c in lead.contact.channels} == {
        ("email", "malga.gaganita@gmail.ru"), ("phone", "+79123456789")}
    assert [note.text for note in lead.notes] == [
        "Здравствуйте! Сколько стоит кровать МИА 1900×800? Мой телефон 8 (912) 345-67-89."]
    assert any(text.startswith("Входящее письмо «Детские кровати Маня кровать МИА 45-02-17» от Мальга Ганита "
                               "<malga.gaganita@gmail.ru> — импорт shop@example.ru") for text in _feed(lead))

    assert "Входящее письмо «Кровать» от Ирина Петрова <client@yandex.ru> — импорт shop@example.ru\n" \
           "Когда будет готова кровать?" in _feed(irina)
    assert not any("Входящее письмо" in text for text in _feed(old))  # a closed deal takes no letters
    board_cards = cards([lead.id, irina.id])
    assert (board_cards[lead.id].imported_from, board_cards[irina.id].imported_from) == ("shop@example.ru", "")
    assert _deal("Снова к вам").contact.full_name == "Ирина Петрова"  # koi8-r, a new lead

    assert {c.value for c in _deal("Кровать Ярус").contact.channels} == {"oleg@mail.ru", "+79215554433"}
    sketch = _deal("Эскиз")
    stored = {a.original_name: a for a in Attachment.select().where(Attachment.deal == sketch)}
    assert set(stored) == {"Эскиз кровати.pdf", "Фото комнаты.jpg"}
    assert files.path_of(stored["Эскиз кровати.pdf"].stored_name).read_bytes() == samples.PDF

    form = _deal("Заявка с сайта")
    assert (form.contact.full_name, form.products) == ("Краева Ольга", "МИА")
    assert {c.value for c in form.contact.channels} == {"kraeva@mail.ru", "+79112223344"}  # not the site's robot
    assert any("Перезвоните мне" in text for text in _feed(form))  # her reply, matched by the phone

    broken = Deal.get(Deal.id.not_in([d.id for d in (irina, old, lead, sketch, form)]) & (
        Deal.name.not_in(["Снова к вам", "Кровать Ярус"])))
    assert any(note.text.startswith("Письмо прочитано не полностью") for note in broken.notes)
    assert "Привет, телефон +7 911 000-11-22" in [note.text for note in broken.notes]
    assert [a.original_name for a in broken.attachments] == ["письмо.eml"]

    statuses = {row.message_id: (row.status, row.reason) for row in MailLetter.select()}
    assert statuses["auto-1@mail.ru"][0] == statuses["bounce-1@gmail.com"][0] == MailLetter.SKIPPED
    assert statuses["own-1@gmail.com"] == (MailLetter.SKIPPED, mail_intake.OWN)
    assert len(statuses) == 11  # the duplicate made no row of its own


def test_nothing_is_handled_twice_after_a_second_round_a_lost_position_or_a_new_uidvalidity(db, staff, mail_server):
    folder = mail_server.new_folder(samples.plain(), samples.site_form(), samples.auto_reply())
    account = mail_server.account(folder)
    assert mail_intake.fetch_mail(account, ImapFolder).leads_created == 2
    assert mail_intake.fetch_mail(account, ImapFolder).letters == 0  # nothing new

    # a crash after the letters were recorded but with the position lost, or the server renumbered them
    MailFolder.update(last_uid=0).execute()
    again = mail_intake.fetch_mail(account, ImapFolder)
    assert (again.letters, again.skipped, again.leads_created) == (3, 3, 0)
    MailFolder.update(uidvalidity=1).execute()
    assert mail_intake.fetch_mail(account, ImapFolder).leads_created == 0

    mail_server.append(folder, samples.html_only())
    later = mail_intake.fetch_mail(account, ImapFolder)
    assert (later.letters, later.leads_created) == (1, 1)
    assert Deal.select().count() == 3 and MailLetter.select().count() == 4


def test_a_mailbox_set_up_today_brings_last_weeks_letters_not_its_whole_history(db, staff, mail_server):
    folder = mail_server.new_folder()
    mail_server.append(folder, samples.plain("old-1@mail.ru", subject="Прошлогодняя"),
                       received=datetime(2025, 5, 1, 12, 0, tzinfo=timezone.utc))  # START is 2 June 2025
    mail_server.append(folder, samples.plain("recent-1@mail.ru", subject="На прошлой неделе"),
                       received=datetime(2025, 5, 27, 12, 0, tzinfo=timezone.utc))
    result = mail_intake.fetch_mail(mail_server.account(folder), ImapFolder)
    assert (result.letters, result.leads_created) == (1, 1)
    assert [deal.name for deal in Deal.select()] == ["На прошлой неделе"]


def _in_threads(work, count: int = 2) -> list:
    """Run ``work(index)`` in ``count`` threads released together; their results."""
    together = threading.Barrier(count)
    results: list = [None] * count
    errors: list = []

    def run(index: int) -> None:
        try:
            together.wait(30)
            results[index] = work(index)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            database.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


def test_two_pcs_fetching_at_once_handle_each_letter_once(db, staff, mail_server):
    letters = [samples.plain(f"pc-{n}@mail.ru", f"Клиент {n} <c{n}@mail.ru>", f"Заявка {n}", "Кровать")
               for n in range(6)]
    account = mail_server.account(mail_server.new_folder(*letters))

    rounds = _in_threads(lambda i: mail_intake.fetch_mail(account, ImapFolder, holder=f"pc-{i}"))

    assert sum(r.leads_created for r in rounds) == 6 and sum(r.failed for r in rounds) == 0
    assert Deal.select().count() == 6 and MailLetter.select().count() == 6
    assert MailFolder.get().holder == ""  # the lease is given back


def test_a_pc_that_died_while_reading_holds_the_folder_ten_minutes_at_most(db, staff, mail_server, fake_clock):
    account = mail_server.account(mail_server.new_folder(samples.plain()))
    assert mail_intake.claim(account.folder_key, "pc-that-died")
    busy = mail_intake.fetch_mail(account, ImapFolder, holder="counter-pc")
    assert busy.busy and busy.letters == 0 and busy.as_json()["busy"] is True
    fake_clock.advance(mail_intake.LEASE + timedelta(seconds=1))
    assert mail_intake.fetch_mail(account, ImapFolder, holder="counter-pc").leads_created == 1


def test_even_without_the_lease_two_pcs_make_one_lead_per_letter(db, staff):
    """The lease aside (run out on a slow PC), the letter's key keeps a letter to one lead."""
    letters = [samples.plain(f"race-{n}@mail.ru", f"Клиент {n} <r{n}@mail.ru>", f"Гонка {n}", "Кровать")
               for n in range(5)]
    account = samples_account()

    outcomes = _in_threads(lambda i: [mail_intake.take_letter(raw, account)[0] for raw in letters])

    made = [status for statuses in outcomes for status in statuses]
    assert made.count(MailLetter.LEAD_CREATED) == 5 and made.count(MailLetter.SKIPPED) == 5
    assert Deal.select().count() == 5
    assert ContactChannel.select().where(ContactChannel.value == "r0@mail.ru").count() == 1


def samples_account():
    from app.domain.mail_account import MailAccount

    return MailAccount("imap.example.ru", login="shop@example.ru")


def test_a_letter_that_cannot_be_handled_is_recorded_as_failed_and_the_round_goes_on(db, staff, monkeypatch):
    account = samples_account()
    real = mail_intake._new_lead

    def refuse_first(letter, *args):
        if letter.key == "plain-1@mail.ru":
            raise RuntimeError("broken")
        return real(letter, *args)

    monkeypatch.setattr(mail_intake, "_new_lead", refuse_first)
    assert mail_intake.take_letter(samples.plain(), account)[0] == MailLetter.FAILED
    assert mail_intake.take_letter(samples.html_only(), account)[0] == MailLetter.LEAD_CREATED
    failed = MailLetter.get(MailLetter.message_id == "plain-1@mail.ru")
    assert "broken" in failed.reason and failed.body.startswith("Здравствуйте")  # kept, not lost
    assert Deal.select().count() == 1 and Note.select().count() == 1


def test_a_huge_letter_with_control_characters_still_becomes_a_lead(db, staff):
    text = "Хочу кровать.\x0c\x07 " + "очень длинное письмо " * 2000
    status, deal = mail_intake.take_letter(samples.plain("huge-1@mail.ru", subject="Тема " * 100, text=text),
                                           samples_account())
    assert status == MailLetter.LEAD_CREATED
    assert len(deal.name) <= 200 and deal.name.endswith("…")
    note = deal.notes.get()
    assert note.text.startswith("Хочу кровать. очень длинное") and 19_900 < len(note.text) <= 20_000


def test_check_connection_says_what_is_wrong(mail_server):
    folder = mail_server.new_folder(samples.plain())
    assert check_account(mail_server.account(folder)) == (
        f"Подключение есть: ящик {LOGIN}, папка «{folder}», писем: 1.")
    problems = {
        "folder": mail_server.account("Нет такой"),
        "closed": mail_server.account(folder, port=free_port()),
        "tls": mail_server.account(folder, security="ssl"),
    }
    messages = {}
    for key, account in problems.items():
        with pytest.raises(MailboxError) as error:
            check_account(account, timeout=5)
        messages[key] = str(error.value)
    assert messages["folder"] == "В ящике shop@example.ru нет папки «Нет такой»."
    assert messages["closed"].startswith("Сервер 127.0.0.1:") and "недоступен" in messages["closed"]
    assert messages["tls"].startswith(f"Ошибка TLS при подключении к 127.0.0.1:{mail_server.port}")


def test_ssl_and_starttls_check_the_servers_certificate(mail_server, monkeypatch):
    if mail_server.certificate is None:
        pytest.skip("нет openssl: сертификат для проверки TLS не создан")
    folder = mail_server.new_folder(samples.plain())
    over_ssl = mail_server.account(folder, security="ssl", port=mail_server.tls_port)
    over_starttls = mail_server.account(folder, security="starttls")
    for account in (over_ssl, over_starttls):  # a self-signed certificate nobody trusts
        with pytest.raises(MailboxError, match="Сертификат сервера 127.0.0.1 не прошёл проверку"):
            check_account(account, timeout=5)
    trusted = ssl.create_default_context(cafile=str(mail_server.certificate))
    monkeypatch.setattr(ssl, "create_default_context", lambda *args, **kwargs: trusted)
    for account in (over_ssl, over_starttls):
        assert check_account(account, timeout=5).startswith("Подключение есть")
    with ImapFolder(over_starttls) as opened:
        assert parse_letter(opened.fetch(opened.uids_after(0)[0])).key == "plain-1@mail.ru"


def test_a_folder_with_a_russian_name_is_read(mail_server):
    client = mail_server.client()
    try:
        assert client.create('"&BBcEMARPBDIEOgQ4-"')[0] == "OK"  # «Заявки» in IMAP's modified UTF-7
        client.append('"&BBcEMARPBDIEOgQ4-"', None, None, samples.plain())
    finally:
        client.logout()
    with ImapFolder(mail_server.account("Заявки")) as folder:
        assert parse_letter(folder.fetch(folder.uids_after(0)[0])).key == "plain-1@mail.ru"


def test_a_round_that_cannot_reach_the_mailbox_says_so_and_frees_the_folder(db, staff):
    account = samples_account().with_password("x")
    closed = type(account)("127.0.0.1", free_port(), "plain", "shop@example.ru", "x")
    result = mail_intake.fetch_mail(closed, ImapFolder)
    assert "недоступен" in result.error and result.letters == 0
    row = MailFolder.get()
    assert (row.holder, row.last_error) == ("", result.error)
    assert mail_intake.claim(closed.folder_key, "another PC")


def test_fetch_mail_command_prints_one_json_line(tmp_path, mail_server, capsys, fake_clock, migrated_sqlite):
    folder = mail_server.new_folder(samples.plain(), samples.bounce())
    copy_sqlite(migrated_sqlite, tmp_path / "shop.sqlite3")
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    try:
        assert main.main(["--db", url, "fetch-mail", "--imap", mail_server.url(folder)]) == 0
    finally:
        database.close()
        files.set_files_root(None)
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert json.loads(line) == {"letters": 2, "leads_created": 1, "attached_to_deals": 0, "skipped": 1, "failed": 0}


def test_fetch_mail_command_without_a_mailbox_explains(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    try:
        assert main.main(["--db", url, "fetch-mail"]) == 2
        assert main.main(["--db", url, "fetch-mail", "--imap", "http://x"]) == 2
    finally:
        database.close()
        files.set_files_root(None)
    assert "Почтовый ящик не настроен" in capsys.readouterr().err


def test_the_key_of_a_letter_without_message_id_is_stable():
    raw = samples.plain(None)
    assert parse_letter(raw).key == parse_letter(raw).key


def test_zz_a_wrong_password_is_named(mail_server):
    """Last of the file: after a wrong password Dovecot slows down this address's next sign-ins."""
    with pytest.raises(MailboxError) as error:
        check_account(mail_server.account(password="wrong"), timeout=5)
    assert str(error.value) == "Неверный логин или пароль: сервер 127.0.0.1 не принял «shop@example.ru»."
