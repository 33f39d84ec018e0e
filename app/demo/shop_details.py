"""The demo shop's requisites: complete and with valid check digits, so the demo invoice is realistic
(the sole trader is invented; the bank's БИК and correspondent account are Sberbank's in St Petersburg)."""
from __future__ import annotations

from app.services import paper_settings

DEMO_DETAILS = {
    "kind": "ip",
    "name": "ИП Маньковская Мария Андреевна",
    "inn": "781234567870",
    "ogrn": "321784700123457",
    "address": "196084, г. Санкт-Петербург, ул. Заставская, д. 33, оф. 12",
    "phone": "+7 (812) 555-01-02",
    "email": "zakaz@krovati-manya.ru",
    "bank_name": "Северо-Западный банк ПАО Сбербанк",
    "bik": "044030653",
    "corr_account": "30101810500000000653",
    "account": "40802810655000012345",
    "signer": "Маньковская М. А.",
}


def add_shop_details() -> None:
    """Store the demo requisites (as the system, inside the demo's transaction)."""
    paper_settings.save_shop_details(None, DEMO_DETAILS)
