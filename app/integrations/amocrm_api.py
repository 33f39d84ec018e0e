"""amoCRM's API v4 (``https://SUBDOMAIN.amocrm.ru/api/v4/``) read for the import: leads with their
contacts, contacts, pipelines with their statuses, users, open tasks, each lead's notes and the contacts' notes.

A long-lived token from the user (kept in the system keyring, never in settings); pages of 250
following ``_links.next`` until it is absent (HTTP 204 is an empty page); no more than 7 requests a
second; on 429 it waits (``Retry-After`` or 1, 2, 4 … s) and tries again; 401/403, an unpaid account
and an HTML answer (amoCRM's page for a blocked account) become one clear Russian message. The base
URL is a shop-wide setting (tests point it at a local fake server)."""
from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable, Iterator

from app.domain import amocrm, validation
from app.domain.amocrm import ContactRecord, LeadRecord, TaskRecord
from app.domain.errors import ServiceError
from app.store import setting_values
from app.store.connection_settings import config_dir
from app.store.password_store import PasswordStore

if TYPE_CHECKING:
    import httpx

BASE_URL_SETTING = "amocrm.base_url"
PAGE = 250
MAX_PER_SECOND = 7
RETRIES = 5
TIMEOUT_S, CONNECT_TIMEOUT_S = 30.0, 10.0


class AmoApiError(ServiceError):
    """amoCRM refused or could not be reached; the message says what to do, in Russian."""


def base_url() -> str:
    """The account's address from the shop's settings (e.g. https://manya.amocrm.ru), "" when unset."""
    return str(setting_values.read(BASE_URL_SETTING, "") or "")


def _token_key(url: str) -> str:
    return f"amocrm-token:{url.rstrip('/')}"


def token_store() -> PasswordStore:
    return PasswordStore(config_dir() / "secrets.json")


def save_token(url: str, token: str) -> str:
    """Keep the long-lived token for the account ``url``; returns where it went (Russian)."""
    return token_store().set(_token_key(url), token.strip())


def saved_token(url: str) -> str | None:
    return token_store().get(_token_key(url))


class AmoClient:
    """Reads pages from amoCRM's API v4 at ``base`` with ``token`` (a long-lived token)."""

    def __init__(self, base: str, token: str, *, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep, monotonic: Callable[[], float] = time.monotonic,
                 per_second: int = MAX_PER_SECOND) -> None:
        if not base:
            raise AmoApiError("Не указан адрес аккаунта amoCRM (например, https://manya.amocrm.ru)")
        if not token:
            raise AmoApiError("Не указан ключ доступа amoCRM (долгосрочный токен из настроек интеграции)")
        import httpx  # loads at the first import from amoCRM, not with the window

        self.base = base.rstrip("/")
        self.http = httpx.Client(base_url=self.base, timeout=httpx.Timeout(TIMEOUT_S, connect=CONNECT_TIMEOUT_S),
                                 transport=transport,
                                 headers={"Authorization": f"Bearer {token}", "Accept": "application/hal+json"})
        self.sleep, self.monotonic, self.per_second = sleep, monotonic, per_second
        self.sent: deque[float] = deque(maxlen=per_second)
        self.requests = 0

    def close(self) -> None:
        self.http.close()

    def _wait_for_rate(self) -> None:
        if len(self.sent) == self.per_second:
            wait = self.sent[0] + 1.0 - self.monotonic()
            if wait > 0:
                self.sleep(wait)
        self.sent.append(self.monotonic())

    def get(self, url: str, params: dict | None = None) -> dict | None:
        """One GET (an API path or a full ``_links`` address): its JSON, None for 204."""
        import httpx

        for attempt in range(RETRIES + 1):
            self._wait_for_rate()
            self.requests += 1
            try:
                response = self.http.get(url, params=params)
            except httpx.HTTPError as error:
                raise AmoApiError(f"Нет связи с amoCRM ({self.base}): {error}") from None
            if response.status_code == 429 and attempt < RETRIES:
                retry_after = response.headers.get("Retry-After", "")
                waits = retry_after.isascii() and retry_after.isdigit()  # «²» is a digit to isdigit only
                self.sleep(float(retry_after) if waits else float(2 ** attempt))
                continue
            return self._read(response)
        raise AmoApiError("amoCRM просит снизить частоту запросов (429) и после повторов: попробуйте позже")

    def _read(self, response: httpx.Response) -> dict | None:
        status = response.status_code
        if status == 204:
            return None
        if status == 401:
            raise AmoApiError("amoCRM не принял ключ доступа (401): проверьте долгосрочный токен или "
                              "выпустите новый в настройках интеграции amoCRM")
        if status == 402:
            raise AmoApiError("Аккаунт amoCRM не оплачен (402): данные недоступны до оплаты")
        if status == 403:
            raise AmoApiError("amoCRM запретил доступ (403): у ключа нет прав на чтение или аккаунт заблокирован")
        kind = response.headers.get("Content-Type", "")
        if "html" in kind or response.text.lstrip()[:1] == "<":
            raise AmoApiError("amoCRM ответил веб-страницей вместо данных: аккаунт, похоже, заблокирован "
                              "или адрес указан неверно. Откройте аккаунт в браузере и проверьте")
        if status >= 400:
            raise AmoApiError(f"amoCRM ответил ошибкой {status}: {response.text[:200]}")
        try:
            return response.json()
        except ValueError:
            raise AmoApiError("amoCRM прислал ответ, который не читается как данные (не JSON)") from None

    def items(self, path: str, key: str, params: dict | None = None) -> Iterator[dict]:
        """Every item of a list, page after page (``_links.next`` until absent; 204: no more)."""
        url: str | None = path
        params = {"limit": PAGE, **(params or {})}
        while url:
            page = self.get(url, params)
            if page is None:
                return
            yield from (page.get("_embedded") or {}).get(key, [])
            url = ((page.get("_links") or {}).get("next") or {}).get("href")
            params = None  # the next link carries them

    def read_all(self, progress: Callable[[str], None] | None = None) -> ApiData:
        """Everything the import needs, in as few requests as the pages allow."""
        say = progress or (lambda text: None)
        say("Воронки и этапы…")
        statuses = {}
        for pipeline in self.items("/api/v4/leads/pipelines", "pipelines"):
            for status in (pipeline.get("_embedded") or {}).get("statuses", []):
                statuses[(pipeline["id"], status["id"])] = (pipeline.get("name", ""), status.get("name", ""))
        say("Пользователи…")
        users = {user["id"]: user.get("name", "") for user in self.items("/api/v4/users", "users")}
        say("Контакты…")
        contacts = list(self.items("/api/v4/contacts", "contacts"))
        say("Сделки…")
        leads = list(self.items("/api/v4/leads", "leads", {"with": "contacts"}))
        say("Задачи…")
        tasks = list(self.items("/api/v4/tasks", "tasks", {"filter[is_completed]": 0}))
        notes = {}
        for number, lead in enumerate(leads, start=1):
            say(f"Примечания сделок: {number} из {len(leads)}")
            notes[lead["id"]] = list(self.items(f"/api/v4/leads/{lead['id']}/notes", "notes"))
        say("Примечания контактов…")
        contact_notes: dict[int, list[dict]] = {}
        for note in self.items("/api/v4/contacts/notes", "notes", {"filter[note_type]": "common"}):
            contact_notes.setdefault(note.get("entity_id"), []).append(note)
        return ApiData(statuses, users, contacts, leads, tasks, notes, contact_notes)


@dataclass
class ApiData:
    """What the API returned, as amoCRM shapes it."""

    statuses: dict[tuple[int, int], tuple[str, str]]  # (pipeline id, status id) → (pipeline, status name)
    users: dict[int, str]
    contacts: list[dict]
    leads: list[dict]
    tasks: list[dict]
    notes: dict[int, list[dict]] = field(default_factory=dict)  # lead id → its notes
    contact_notes: dict[int, list[dict]] = field(default_factory=dict)  # contact id → its notes


def _moment(stamp: int | None) -> datetime | None:
    return datetime.fromtimestamp(stamp, timezone.utc).replace(tzinfo=None) if stamp else None


def _fields(entity: dict) -> tuple[dict[str, str], list[str], list[str]]:
    """(first value of each custom field by name, phones, e-mails)."""
    named, phones, emails = {}, [], []
    for custom in entity.get("custom_fields_values") or []:
        values = [str(v.get("value", "")) for v in custom.get("values") or [] if v.get("value") not in (None, "")]
        code = custom.get("field_code")
        if code == "PHONE":
            phones += values
        elif code == "EMAIL":
            emails += values
        elif values:
            named[custom.get("field_name", "")] = values[0]
    return named, phones, emails


def _note_texts(notes: list[dict]) -> list[str]:
    """The texts of amoCRM's common notes, oldest first (calls and system notes have none)."""
    ordered = sorted(notes, key=lambda note: (note.get("created_at") or 0, note.get("id") or 0))
    return [" ".join(str((note.get("params") or {}).get("text", "")).split()) for note in ordered
            if note.get("note_type") == "common" and (note.get("params") or {}).get("text")]


def contact_from_api(item: dict, notes: list[dict] | None = None) -> ContactRecord:
    named, phones, emails = _fields(item)
    clean_phones, bad_phones = amocrm.clean_phones(phones)
    clean_emails, bad_emails = amocrm.clean_emails(emails)
    name = " ".join((item.get("name") or "").split()) or " ".join(
        part for part in (item.get("last_name"), item.get("first_name")) if part)
    record = ContactRecord(0, name, "", named.get("Адрес", ""), clean_phones, clean_emails, amo_id=item.get("id"),
                           created_at=_moment(item.get("created_at")))
    record.warnings += [f"«{text}» — не номер телефона, пропущен" for text in bad_phones]
    record.warnings += [f"«{text}» — не e-mail, пропущен" for text in bad_emails]
    limit = validation.TEXT_LIMITS["note"]
    record.notes = [amocrm.contact_note(text)[:limit] for text in _note_texts(notes or [])]
    return record


def records_from_api(data: ApiData) -> tuple[list[LeadRecord], list[ContactRecord]]:
    """The API's leads and contacts as the import's records (line = position in the list)."""
    contacts = [contact_from_api(item, data.contact_notes.get(item.get("id"))) for item in data.contacts]
    for number, record in enumerate(contacts, start=1):
        record.line = number
    by_id = {record.amo_id: record for record in contacts}
    tasks: dict[int, list[TaskRecord]] = {}
    for task in data.tasks:
        if task.get("entity_type") == "leads" and not task.get("is_completed"):
            tasks.setdefault(task.get("entity_id"), []).append(TaskRecord(
                task["id"], " ".join((task.get("text") or "").split()) or "Задача из amoCRM",
                _moment(task.get("complete_till")), data.users.get(task.get("responsible_user_id"), "")))
    leads = []
    for number, item in enumerate(data.leads, start=1):
        pipeline_name, stage_name = data.statuses.get((item.get("pipeline_id"), item.get("status_id")), ("", ""))
        named, _, _ = _fields(item)
        embedded = item.get("_embedded") or {}
        linked = embedded.get("contacts") or []
        main = next((c for c in linked if c.get("is_main")), linked[0] if linked else None)
        record = LeadRecord(
            number, " ".join((item.get("name") or "").split()) or f"Сделка #{item['id']}",
            stage_name or f"Этап {item.get('status_id')}", pipeline_name, amo_id=item["id"],
            budget=int(item.get("price") or 0) * 100, responsible=data.users.get(item.get("responsible_user_id"), ""),
            created_at=_moment(item.get("created_at")), updated_at=_moment(item.get("updated_at")),
            closed_at=_moment(item.get("closed_at")),
            tags=amocrm.split_tags(", ".join(tag.get("name", "") for tag in embedded.get("tags") or [])),
            notes=_note_texts(data.notes.get(item["id"], [])),
            source=named.get("Источник", ""), products=named.get("Товар", ""),
            contact=by_id.get(main.get("id")) if main else None, tasks=tasks.get(item["id"], []))
        leads.append(record)
    return leads, contacts
