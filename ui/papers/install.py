"""«Настройки → Реквизиты магазина…», «Шаблоны документов…» and «Почта для отправки…»: the
administrator's dialogs of the client's papers (other roles are told who may change them)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox

from app.domain import paper_templates, requisites
from app.domain.errors import ServiceError
from app.integrations import smtp_mail
from app.services import client_papers, outgoing_mail, paper_settings, permissions
from ui.common import msgbox
from ui.papers.settings_form import CHOICE, LONG, NUMBER, PASSWORD, Field, SettingsForm

DETAILS_FIELDS = [
    Field("kind", CHOICE, choices=requisites.KIND_NAMES),
    Field("name", hint="ИП Иванова Мария Андреевна или ООО «Маня»"),
    Field("inn", hint="12 цифр у ИП, 10 у организации"),
    Field("kpp", hint="только у организации, 9 знаков"),
    Field("ogrn", hint="ОГРНИП — 15 цифр, ОГРН — 13"),
    Field("address"),
    Field("phone"),
    Field("email"),
    Field("bank_name", hint="как в договоре с банком, до 45 знаков"),
    Field("bik", hint="9 цифр"),
    Field("corr_account", hint="20 цифр, начинается с 30101"),
    Field("account", hint="20 цифр"),
    Field("signer", hint="Фамилия И. О. для подписи"),
]
TEMPLATE_FIELDS = [
    Field("contract", LONG),
    Field("invoice_note", LONG),
    Field("prepayment_percent", NUMBER, limits=(1, 100)),
    Field("city"),
]
MAIL_FIELDS = [
    Field("host", hint="smtp.yandex.ru, smtp.mail.ru, smtp.gmail.com"),
    Field("port", NUMBER, limits=(1, 65535)),
    Field("security", CHOICE, choices=smtp_mail.SECURITY_NAMES),
    Field("user", hint="обычно — адрес ящика"),
    Field("password", PASSWORD, hint="пусто — оставить сохранённый"),
    Field("sender"),
    Field("sender_name", hint="Детские кровати Маня"),
]


def _placeholders_note() -> str:
    names = ", ".join(f"{{{name}}}" for name in paper_templates.CONTRACT_FIELDS)
    invoice = ", ".join(f"{{{name}}}" for name in paper_templates.INVOICE_FIELDS)
    return f"Поля договора: {names}.\nПоля текста под счётом: {invoice}."


def _allowed(window) -> bool:
    if permissions.allowed(window.user, permissions.SETTINGS_MANAGE):
        return True
    try:
        permissions.require(window.user, permissions.SETTINGS_MANAGE)
    except ServiceError as error:
        msgbox.error(window, "Настройки документов", str(error))
    return False


def details_dialog(window) -> SettingsForm:
    return SettingsForm(window, "Реквизиты магазина", requisites.PREFIX, DETAILS_FIELDS,
                        paper_settings.shop_details().as_dict(),
                        check=paper_settings.check_shop_details,
                        save=lambda values: paper_settings.save_shop_details(window.user, values),
                        note="Печатаются в счетах, договорах и QR-коде оплаты; ИНН, ОГРН и счета проверяются "
                             "по контрольным цифрам.")


def templates_dialog(window) -> SettingsForm:
    def preview(values: dict) -> str:
        try:
            return client_papers.preview_contract(values["contract"])
        except (ValueError, KeyError, IndexError):
            return "Шаблон нельзя заполнить: проверьте фигурные скобки"

    return SettingsForm(window, "Шаблоны документов", paper_templates.PREFIX, TEMPLATE_FIELDS,
                        paper_settings.templates().as_dict(),
                        check=paper_settings.check_templates,
                        save=lambda values: paper_settings.save_templates(window.user, values),
                        preview=preview, note=_placeholders_note())


def mail_dialog(window) -> SettingsForm:
    settings = outgoing_mail.mail_settings()
    values = settings.as_dict() if settings.host else {**settings.as_dict(), "port": 587}

    def save(typed: dict):
        password = typed.pop("password", "")
        return outgoing_mail.save_mail_settings(window.user, typed, password or None)

    form = SettingsForm(window, "Почта для отправки", smtp_mail.PREFIX, MAIL_FIELDS, values,
                        check=lambda typed: outgoing_mail.settings_problems(typed), save=save,
                        note="Счета и договоры уходят клиентам с этого ящика. Пароль хранится в системном "
                             "хранилище паролей этого компьютера.")
    check_button = form.buttons.addButton("Проверить соединение", QDialogButtonBox.ButtonRole.ActionRole)
    check_button.setObjectName("checkMail")

    def check() -> None:
        typed = form.values()
        try:
            outgoing_mail.check_mail_settings(typed, typed.pop("password", "") or None)
        except ServiceError as error:
            msgbox.error(form, "Почта для отправки", str(error))
            return
        msgbox.info(form, "Почта для отправки", "Соединение установлено, сервер принял логин и пароль.")

    check_button.clicked.connect(check)
    return form


DIALOGS = (("Реквизиты магазина…", details_dialog), ("Шаблоны документов…", templates_dialog),
           ("Почта для отправки…", mail_dialog))


def install_papers(window) -> None:
    """Add the papers' settings to «Настройки» of ``window``."""
    for title, make in DIALOGS:
        action = QAction(title, window)
        action.triggered.connect(lambda _=False, make=make: _open(window, make))
        window.add_menu_action(window.settings_menu, action)


def _open(window, make) -> None:
    if _allowed(window):
        dialog = make(window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()


SHOW_DIALOGS = {"requisites": details_dialog, "templates": templates_dialog, "mail": mail_dialog}


def show_dialog(window, what: str) -> SettingsForm:
    """``--show requisites|templates|mail`` (with ``--user admin``): that dialog, for a screenshot."""
    return SHOW_DIALOGS[what](window)
