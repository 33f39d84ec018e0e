"""Fake SMS.ru and SMSC.ru on pytest-httpserver (127.0.0.1) answering as the real ones do (JSON, their
codes); each counts the sends it got, per message, so a test can assert «sent exactly once»."""
from __future__ import annotations

import json
import threading
from collections import Counter

from werkzeug import Request, Response


def _json(data: dict, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, content_type="application/json")


class FakeGateway:
    """Sends answer from ``plan`` (one planned answer per send; then success); status from ``states``."""

    send_path = ""
    status_path = ""

    def __init__(self, server) -> None:
        self.server = server
        self.plan: list = []  # each: a dict (the JSON answer), an int (HTTP status), or "hang"
        self.states: dict[str, int] = {}  # gateway id → the gateway's state code
        self.sent = Counter()  # message text → sends accepted
        self.sends = 0  # send requests received
        self.status_asks = 0
        self.release = threading.Event()  # a "hang" answer waits for this
        self.lock = threading.Lock()
        server.expect_request(self.send_path).respond_with_handler(self._send)
        server.expect_request(self.status_path).respond_with_handler(self._status)

    def _send(self, request: Request) -> Response:
        with self.lock:
            self.sends += 1
            planned = self.plan.pop(0) if self.plan else None
            number = self.sends
        if planned == "hang":
            self.release.wait(10)
            return Response("", status=504)
        if isinstance(planned, int):
            return Response("Bad gateway", status=planned)
        if isinstance(planned, dict):
            return _json(planned)
        with self.lock:
            self.sent[request.form["msg" if "msg" in request.form else "mes"]] += 1
        return self.accepted(request, number)

    def _status(self, request: Request) -> Response:
        with self.lock:
            self.status_asks += 1
        return self.status_answer(request)


class FakeSmsRu(FakeGateway):
    send_path = "/sms/send"
    KEYS = ("test-key", "demo-test-key")
    status_path = "/sms/status"

    def __init__(self, server) -> None:
        super().__init__(server)
        server.expect_request("/my/balance").respond_with_handler(self._balance)
        server.expect_request("/sms/cost").respond_with_handler(self._cost)

    @staticmethod
    def error(code: int, text: str = "") -> dict:
        """SMS.ru's answer for an error of one number (the request itself is fine)."""
        return {"status": "OK", "status_code": 100, "sms": {"78008008000": {
            "status": "ERROR", "status_code": code, "status_text": text}}, "balance": 10.5}

    def accepted(self, request: Request, number: int) -> Response:
        if request.form.get("api_id") not in self.KEYS:
            return _json({"status": "ERROR", "status_code": 200, "status_text": "Неправильный api_id"})
        sms_id = f"000000-{number:08d}"
        self.states.setdefault(sms_id, 100)
        return _json({"status": "OK", "status_code": 100, "sms": {request.form["to"]: {
            "status": "OK", "status_code": 100, "sms_id": sms_id}}, "balance": 4122.56})

    def status_answer(self, request: Request) -> Response:
        sms_id = request.form["sms_id"]
        code = self.states.get(sms_id, -1)
        if code == -1:
            part = {"status": "ERROR", "status_code": -1, "status_text": "Сообщение не найдено"}
        else:
            part = {"status": "OK", "status_code": code, "cost": "3.95", "sms": 2}
        return _json({"status": "OK", "status_code": 100, "sms": {sms_id: part}, "balance": 4122.56})

    def _balance(self, request: Request) -> Response:
        if request.form.get("api_id") not in self.KEYS:
            return _json({"status": "ERROR", "status_code": 200, "status_text": "Неправильный api_id"})
        return _json({"status": "OK", "status_code": 100, "balance": 4122.56})

    def _cost(self, request: Request) -> Response:
        return _json({"status": "OK", "status_code": 100, "sms": {request.form["to"]: {
            "status": "OK", "status_code": 100, "cost": "3.95", "sms": 2}}, "total_cost": 3.95, "total_sms": 2})


class FakeSmsc(FakeGateway):
    send_path = "/sys/send.php"
    status_path = "/sys/status.php"

    def __init__(self, server) -> None:
        super().__init__(server)
        server.expect_request("/sys/balance.php").respond_with_handler(
            lambda request: _json({"balance": "96.60"} if request.form.get("psw") == "test-key"
                                  else self.error(2, "authorise error")))

    @staticmethod
    def error(code: int, text: str = "") -> dict:
        return {"error": text or "error", "error_code": code}

    def accepted(self, request: Request, number: int) -> Response:
        client_id = request.form["id"]
        self.states.setdefault(client_id, -1)
        return _json({"id": int(client_id), "cnt": 2, "cost": "3.40", "balance": "96.60"})

    def status_answer(self, request: Request) -> Response:
        code = self.states.get(request.form["id"], -3)
        return _json({"status": code, "last_date": "02.06.2025 12:01:00", "last_timestamp": 1748854860, "err": 0})
