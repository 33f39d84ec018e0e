"""``python main.py --db URL send-sms`` on a copy of the demo shop against a fake SMS.ru: the waiting SMS
leave in test mode, with the key from this PC's secret store (the keyring's private-file fallback)."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from app.cli.send_sms import send_sms
from app.store.db import copy_sqlite
from app.store.password_store import PasswordStore
from tests.sms.conftest import queue
from tests.sms.fakes import FakeSmsRu

ROOT = Path(__file__).resolve().parents[2]
CODE = ("import sys, main; rc = main.main(sys.argv[1:]); "
        "assert 'PySide6.QtWidgets' not in sys.modules, 'a GUI was loaded'; sys.exit(rc)")


def run_send_sms(url: str, tmp_path: Path, base_url: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "CRM_SMS_BASE_URL": base_url}
    return subprocess.run([sys.executable, "-c", CODE, "--db", url, "send-sms"], check=False, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=env)


def test_send_sms_sends_the_waiting_sms_and_prints_one_json_line(httpserver, tmp_path, demo_shop):
    fake = FakeSmsRu(httpserver)
    shop = tmp_path / "shop.sqlite3"
    copy_sqlite(demo_shop.path, shop)
    base_url = httpserver.url_for("/").rstrip("/")
    # what the keyring fallback writes (the test process never touches this PC's keyring)
    PasswordStore(tmp_path / "config" / "workshop-crm" / "secrets.json")._write_file({"sms:smsru": "demo-test-key"})
    run = run_send_sms(f"sqlite:///{shop}", tmp_path, base_url)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == {"sent": 3, "failed": 0, "retried": 0, "skipped": 0}
    assert fake.sends == 3 and set(fake.sent.values()) == {1}
    forms = [request.form for request, _ in httpserver.log if request.path == "/sms/send"]
    assert all(form["test"] == "1" and form["api_id"] == "demo-test-key" and form["json"] == "1" for form in forms)
    assert "demo-test-key" not in run.stdout + run.stderr


def test_without_a_key_on_this_pc_nothing_is_sent(db, smsru, memory_secrets, capsys):
    memory_secrets.delete("sms:smsru")
    assert send_sms(argparse.Namespace()) == 2
    out, err = capsys.readouterr()
    assert json.loads(out) == {"sent": 0, "failed": 0, "retried": 0, "skipped": 0}
    assert "Ключ SMS.ru не задан на этом компьютере" in err and smsru.sends == 0


def test_a_refused_key_exits_with_2(db, smsru, staff, memory_secrets, capsys):
    queue(staff, 2)
    memory_secrets.set("sms:smsru", "wrong")
    assert send_sms(argparse.Namespace()) == 2
    out, err = capsys.readouterr()
    assert json.loads(out)["skipped"] == 2 and "шлюз не принял ключ" in err and "wrong" not in out + err
