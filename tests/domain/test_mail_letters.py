"""Reading letters (any charset and encoding, HTML, attachments, broken ones), telling automatic letters
apart, and the site form's fields — pure, no database."""
from __future__ import annotations

import pytest

from app.domain.mail_letters import excerpt, html_to_text, parse_letter
from app.domain.site_forms import find_phone, read_site_form
from tests import mail_samples as samples


def test_a_persons_letter_in_quoted_printable_utf8():
    letter = parse_letter(samples.plain())
    assert letter.key == "plain-1@mail.ru"
    assert (letter.from_name, letter.from_address) == ("Мальга Ганита", "malga.gaganita@gmail.ru")
    assert letter.subject == "Детские кровати Маня кровать МИА 45-02-17"
    assert letter.text == "Здравствуйте! Сколько стоит кровать МИА 1900×800? Мой телефон 8 (912) 345-67-89."
    assert samples.SHOP in letter.to_addresses
    assert letter.automatic == "" and letter.problems == ()
    assert str(letter.sent_at) == "2025-06-02 08:40:00"  # 11:40 Moscow, stored in UTC


@pytest.mark.parametrize("charset", ["windows-1251", "koi8-r"])
def test_russian_charsets_in_base64_bodies_and_encoded_headers(charset):
    letter = parse_letter(samples.in_charset(charset, "c@x", "Нужна двухъярусная кровать, ёлки!", "Кровать Ёж"))
    assert letter.text == "Нужна двухъярусная кровать, ёлки!"
    assert letter.subject == "Кровать Ёж"
    assert letter.from_name == "Ирина Петрова"


def test_an_html_only_letter_is_shown_as_its_text():
    letter = parse_letter(samples.html_only())
    assert letter.text == "Добрый день!\n\nХочу кровать «Ярус» с комодом.\nТелефон: +7 921 555-44-33\n\nСпасибо"
    assert "alert" not in html_to_text("<script>alert(1)</script><p>a&amp;b</p>")


def test_attachments_keep_their_cyrillic_names_and_bytes():
    letter = parse_letter(samples.with_attachments())
    assert [(f.name, f.content_type) for f in letter.files] == [
        ("Эскиз кровати.pdf", "application/pdf"), ("Фото комнаты.jpg", "image/jpeg")]
    assert letter.files[0].data == samples.PDF
    assert letter.text == "Эскиз во вложении."


@pytest.mark.parametrize("raw, reason", [
    (samples.auto_reply(), "Auto-Submitted"),
    (samples.bounce(), "mailer-daemon"),
    (samples.plain("p@x", "Postmaster <postmaster@mail.ru>"), "postmaster"),
    (samples.plain("x@x", X_Autoreply="yes"), "X-Autoreply"),
    (samples.plain("y@x", Precedence="auto_reply"), "Precedence"),
])
def test_auto_replies_and_bounces_are_recognised(raw, reason):
    assert reason in parse_letter(raw).automatic


def test_a_person_writing_auto_submitted_no_is_a_person():
    assert parse_letter(samples.plain("n@x", Auto_Submitted="no")).automatic == ""


def test_a_broken_letter_keeps_what_could_be_read_and_says_what_not():
    letter = parse_letter(samples.broken())
    assert letter.key == "broken-1@mail.ru"
    assert letter.text == "Привет, телефон +7 911 000-11-22"  # the unknown charset read as windows-1251
    assert "адрес отправителя не прочитан" in letter.problems


def test_garbage_is_still_a_letter_with_a_key_from_its_headers():
    first, again = parse_letter(b"\x00\xffgarbage"), parse_letter(b"\x00\xffgarbage")
    assert first.key.startswith("sha256:") and first.key == again.key
    no_id = samples.plain(None)
    assert parse_letter(no_id).key == parse_letter(no_id).key != parse_letter(samples.plain(None, subject="x")).key


def test_excerpt_is_one_short_paragraph():
    assert excerpt("a\n\nb  c") == "a b c"
    assert excerpt("слово " * 100, 20) == "слово слово слово…"


@pytest.mark.parametrize("quote", [
    "> Здравствуйте, кровать готова.",
    "Пн, 2 июня 2025 г. в 12:00, Детские кровати Маня <krovatispb@gmail.com>:\n> x",
    "2 июня 2025 г., 12:00 пользователь Маня написал:",
    "On Mon, 2 Jun 2025 at 12:00, Shop <krovatispb@gmail.com> wrote:",
    "-----Original Message-----",
])
def test_a_replys_own_words_are_kept_without_the_quote(quote):
    from app.domain.mail_letters import without_quote

    assert without_quote(f"Спасибо, заберу в субботу.\n\n{quote}\nстарый текст") == "Спасибо, заберу в субботу."
    assert without_quote("Адрес: Невский, 1\nСпасибо") == "Адрес: Невский, 1\nСпасибо"


def test_site_form_fields_are_read_with_a_message_over_several_lines():
    form = read_site_form(samples.SITE_FORM_TEXT)
    assert form.name == "Краева Ольга"
    assert form.phone == "+79112223344"
    assert form.email == "kraeva@mail.ru"
    assert form.model == "МИА"
    assert form.message == "Нужна кровать 1900×800,\nбелая, с ящиками."


def test_a_letter_with_one_colon_is_not_a_form():
    assert read_site_form("Добрый день: хочу кровать.\nСпасибо") is None
    assert read_site_form("ФИО: Иванов Иван\nТел.: +7 (921) 000-00-00") is not None


@pytest.mark.parametrize("text, phone", [
    ("Мой телефон 8 (912) 345-67-89.", "+79123456789"),
    ("звоните +7 921 555 44 33 вечером", "+79215554433"),
    ("7-911-222-33-44", "+79112223344"),
    ("кровать МИА 45-02-17, размер 1900×800", None),
])
def test_phones_found_in_text_are_normalised(text, phone):
    assert find_phone(text) == phone
