"""amoCRM's API v4 against a fake server on 127.0.0.1 answering as amoCRM does: paging by
``_links.next``, 204 for an empty list, 429 with a retry, 401/403, a blocked account's HTML page,
7 requests a second; and the import of what it returns (tasks and notes included), idempotent."""
from __future__ import annotations

import pytest
from werkzeug import Response

from app.integrations.amocrm_api import AmoApiError, AmoClient, records_from_api
from app.services.amocrm_import import ImportOptions, import_records
from app.store.models import Deal, Note, Task

PIPELINE = 3177727


def _link(server, path):
    return {"href": server.url_for(path)}


def _status(status_id, name, sort):
    return {"id": status_id, "name": name, "sort": sort, "is_editable": True, "pipeline_id": PIPELINE,
            "color": "#99ccff", "type": 0, "account_id": 12345678}


def _contact(contact_id, name, phone, email=""):
    fields = [{"field_id": 1, "field_name": "Телефон", "field_code": "PHONE", "field_type": "multitext",
               "values": [{"value": phone, "enum_id": 1, "enum_code": "WORK"}]}]
    if email:
        fields.append({"field_id": 2, "field_name": "Email", "field_code": "EMAIL", "field_type": "multitext",
                       "values": [{"value": email, "enum_id": 3, "enum_code": "WORK"}]})
    return {"id": contact_id, "name": name, "first_name": "", "last_name": "", "responsible_user_id": 504141,
            "created_at": 1585299171, "updated_at": 1590683337, "custom_fields_values": fields,
            "account_id": 12345678, "_embedded": {"tags": [], "companies": []}}


def _lead(lead_id, name, price, status_id, contact_id, closed_at=None):
    return {"id": lead_id, "name": name, "price": price, "responsible_user_id": 504141, "group_id": 0,
            "status_id": status_id, "pipeline_id": PIPELINE, "loss_reason_id": None, "created_by": 504141,
            "updated_by": 504141, "created_at": 1585299171, "updated_at": 1590683337, "closed_at": closed_at,
            "closest_task_at": None, "is_deleted": False, "custom_fields_values": [
                {"field_id": 9, "field_name": "Товар", "field_code": None, "field_type": "text",
                 "values": [{"value": "Ярус"}]}],
            "score": None, "account_id": 12345678,
            "_embedded": {"tags": [{"id": 100667, "name": "инд", "color": None}],
                          "companies": [], "contacts": [{"id": contact_id, "is_main": True}]}}


@pytest.fixture
def amocrm(httpserver):
    """A fake amoCRM account: 2 pages of contacts, 2 leads, an open task, notes of one lead."""
    server = httpserver
    server.expect_request("/api/v4/leads/pipelines").respond_with_json({
        "_total_items": 1, "_links": {"self": _link(server, "/api/v4/leads/pipelines")},
        "_embedded": {"pipelines": [{"id": PIPELINE, "name": "Воронка", "sort": 1, "is_main": True,
                                     "_embedded": {"statuses": [
                                         _status(32392156, "Неразобранное", 10),
                                         _status(32392159, "Первичный контакт", 20),
                                         _status(142, "Успешно реализовано", 10000),
                                         _status(143, "Закрыто и не реализовано", 11000)]}}]}})
    server.expect_request("/api/v4/users").respond_with_json({
        "_embedded": {"users": [{"id": 504141, "name": "Татьяна", "email": "t@manya.ru"}]}})
    server.expect_request("/api/v4/contacts", query_string={"limit": "250"}).respond_with_json({
        "_page": 1, "_links": {"self": _link(server, "/api/v4/contacts?limit=250&page=1"),
                               "next": {"href": server.url_for("/api/v4/contacts") + "?limit=250&page=2"}},
        "_embedded": {"contacts": [_contact(7001, "Краева Ольга", "+7 912 345-67-89", "Kraeva@mail.ru")]}})
    server.expect_request("/api/v4/contacts", query_string={"limit": "250", "page": "2"}).respond_with_json({
        "_page": 2, "_links": {"self": _link(server, "/api/v4/contacts?limit=250&page=2")},
        "_embedded": {"contacts": [_contact(7002, "Орлов Дмитрий", "89215556677")]}})
    server.expect_request("/api/v4/leads").respond_with_json({
        "_page": 1, "_links": {"self": _link(server, "/api/v4/leads")},
        "_embedded": {"leads": [_lead(19619, "Краева (МИА)", 46333, 32392159, 7001),
                                _lead(14460, "Орлов (Чердак)", 655, 142, 7002, closed_at=1590683337)]}})
    server.expect_request("/api/v4/tasks").respond_with_json({"_embedded": {"tasks": [
        {"id": 5001, "entity_id": 19619, "entity_type": "leads", "is_completed": False, "task_type_id": 1,
         "text": "Перезвонить по размеру", "complete_till": 1590700000, "responsible_user_id": 504141,
         "result": []},
        {"id": 5002, "entity_id": 19619, "entity_type": "leads", "is_completed": True, "task_type_id": 1,
         "text": "Старая", "complete_till": 1590000000, "responsible_user_id": 504141, "result": []}]}})
    server.expect_request("/api/v4/leads/19619/notes").respond_with_json({"_embedded": {"notes": [
        {"id": 2, "entity_id": 19619, "created_at": 1585300000, "note_type": "common",
         "params": {"text": "Хочет белую"}},
        {"id": 1, "entity_id": 19619, "created_at": 1585299999, "note_type": "common",
         "params": {"text": "Звонила"}},
        {"id": 3, "entity_id": 19619, "created_at": 1585300001, "note_type": "call_in", "params": {}}]}})
    server.expect_request("/api/v4/leads/14460/notes").respond_with_data("", status=204)
    # the second page first: the first page's handler takes any query
    server.expect_request("/api/v4/contacts/notes", query_string={"page": "2"}).respond_with_json({
        "_page": 2, "_embedded": {"notes": [
            {"id": 13, "entity_id": 7002, "created_at": 1585300600, "note_type": "sms_out", "params": {}},
            {"id": 14, "entity_id": 7003, "created_at": 1585300700, "note_type": "common",
             "params": {"text": "Чужой контакт"}}]}})
    server.expect_request("/api/v4/contacts/notes").respond_with_json({
        "_page": 1, "_links": {"self": _link(server, "/api/v4/contacts/notes"),
                               "next": {"href": server.url_for("/api/v4/contacts/notes") + "?page=2"}},
        "_embedded": {"notes": [
            {"id": 12, "entity_id": 7001, "created_at": 1585300500, "note_type": "common",
             "params": {"text": "Скидка 5%"}},
            {"id": 11, "entity_id": 7001, "created_at": 1585300400, "note_type": "common",
             "params": {"text": "Любит  белый"}}]}})
    return server


class FakeTime:
    """sleep and monotonic without waiting: time moves only when the client sleeps."""

    def __init__(self):
        self.now, self.slept = 0.0, []

    def sleep(self, seconds):
        self.slept.append(round(seconds, 3))
        self.now += seconds

    def monotonic(self):
        return self.now


def _client(server, fake=None, token="long-lived-token"):
    fake = fake or FakeTime()
    return AmoClient(server.url_for("/"), token, sleep=fake.sleep, monotonic=fake.monotonic)


def test_reads_every_page_and_imports_deals_tasks_and_notes(amocrm, staff):
    client = _client(amocrm)
    data = client.read_all()
    assert [c["id"] for c in data.contacts] == [7001, 7002]  # the second page through _links.next
    leads, contacts = records_from_api(data)
    report = import_records(leads, contacts, None, ImportOptions())
    assert (report.deals_created, report.contacts_created, report.notes, report.tasks) == (2, 2, 4, 1)
    mia = Deal.get(Deal.amo_id == 19619)
    assert (mia.stage, mia.budget, mia.tags, mia.products, mia.responsible_id) == (
        "first_contact", 4633300, "инд", "Ярус", staff["manager"].id)
    assert [n.text for n in Note.select().where(Note.deal == mia).order_by(Note.id)][:2] == ["Звонила", "Хочет белую"]
    task = Task.get(Task.rule == "amocrm.task:5001")
    assert task.text == "Перезвонить по размеру" and task.assignee_user_id == staff["manager"].id
    assert Deal.get(Deal.amo_id == 14460).stage == "won"
    again = import_records(*records_from_api(client.read_all()), None, ImportOptions())
    assert (again.deals_created, again.deals_updated, again.tasks, again.notes) == (0, 0, 0, 0)
    assert Task.select().where(Task.rule.startswith("amocrm.task:")).count() == 1


def test_contacts_notes_go_onto_their_deals_once(amocrm, staff):
    client = _client(amocrm)
    report = import_records(*records_from_api(client.read_all()), None, ImportOptions())
    assert (report.notes, report.contact_notes, report.contact_notes_without_deals) == (4, 2, 0)
    mia = Deal.get(Deal.amo_id == 19619)
    assert [n.text for n in Note.select().where(Note.deal == mia).order_by(Note.id)] == [
        "Звонила", "Хочет белую", "Примечание к контакту (amoCRM): Любит белый",
        "Примечание к контакту (amoCRM): Скидка 5%"]
    assert Note.select().where(Note.deal == Deal.get(Deal.amo_id == 14460)).count() == 0
    again = import_records(*records_from_api(client.read_all()), None, ImportOptions())
    assert (again.notes, again.contact_notes) == (0, 0)


def test_the_token_goes_as_bearer(amocrm):
    _client(amocrm).get("/api/v4/users")
    assert amocrm.log[-1][0].headers["Authorization"] == "Bearer long-lived-token"


def test_no_more_than_seven_requests_a_second(amocrm):
    fake = FakeTime()
    client = _client(amocrm, fake)
    for _ in range(8):
        client.get("/api/v4/users")
    assert fake.slept == [1.0]


def test_429_waits_and_tries_again(httpserver):
    httpserver.expect_oneshot_request("/api/v4/users").respond_with_data(
        "", status=429, headers={"Retry-After": "2"})
    httpserver.expect_request("/api/v4/users").respond_with_json({"_embedded": {"users": []}})
    fake = FakeTime()
    assert _client(httpserver, fake).get("/api/v4/users") == {"_embedded": {"users": []}}
    assert fake.slept == [2.0]


def test_empty_list_is_204(httpserver):
    httpserver.expect_request("/api/v4/tasks").respond_with_data("", status=204)
    assert list(_client(httpserver).items("/api/v4/tasks", "tasks")) == []


@pytest.mark.parametrize("answer,message", [
    (Response('{"title":"Unauthorized","status":401}', status=401, content_type="application/problem+json"),
     "не принял ключ доступа"),
    (Response('{"title":"Forbidden","status":403}', status=403, content_type="application/problem+json"),
     "запретил доступ"),
    (Response("<!DOCTYPE html><html><body>Аккаунт заблокирован</body></html>", status=200,
              content_type="text/html; charset=utf-8"), "аккаунт, похоже, заблокирован"),
])
def test_refusals_say_what_is_wrong(httpserver, answer, message):
    httpserver.expect_request("/api/v4/leads/pipelines").respond_with_response(answer)
    with pytest.raises(AmoApiError, match=message):
        _client(httpserver).read_all()


def test_no_address_or_token_is_said_plainly():
    with pytest.raises(AmoApiError, match="ключ доступа"):
        AmoClient("http://127.0.0.1:1", "")


def test_command_line_import_from_the_api(amocrm, db_url, db, staff, monkeypatch, capsys):
    import json

    from main import main

    monkeypatch.setenv("AMOCRM_TOKEN", "long-lived-token")
    assert main(["import-amocrm-api", "--base-url", amocrm.url_for("/"), "--db", db_url]) == 0
    summary = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert (summary["deals_created"], summary["tasks"], summary["notes"], summary["contact_notes"]) == (2, 1, 4, 2)
