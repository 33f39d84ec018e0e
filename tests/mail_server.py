"""A real IMAP server for the mail intake tests: Dovecot from the system's packages, started on a free
port of 127.0.0.1 with a throw-away configuration, user and maildir (``apt-get install dovecot-imapd``).
Each test works in its own new folder, so tests never see each other's letters."""
from __future__ import annotations

import imaplib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from app.domain.mail_account import PLAIN, MailAccount

LOGIN, PASSWORD = "shop@example.ru", "secret"
START_TIMEOUT_S = 15

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
instance_name = crm-test-{port}
listen = 127.0.0.1
protocols = imap
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
log_path = {root}/dovecot.log
first_valid_uid = 1
mail_location = maildir:~/Maildir
{users_line}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/users
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class MailServer:
    port: int  # IMAP (and STARTTLS where the server has a certificate)
    root: Path
    process: subprocess.Popen
    tls_port: int = 0  # IMAP over SSL/TLS; 0 where openssl could not make a certificate
    certificate: Path | None = None  # self-signed, for 127.0.0.1
    _folders = itertools.count(1)

    def account(self, folder: str = "INBOX", **changes) -> MailAccount:
        values = dict(host="127.0.0.1", port=self.port, security=PLAIN, login=LOGIN, password=PASSWORD,
                      folder=folder)
        values.update(changes)
        return MailAccount(**values)

    def url(self, folder: str) -> str:
        return f"imap://{LOGIN.replace('@', '%40')}:{PASSWORD}@127.0.0.1:{self.port}/{folder}"

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(LOGIN, PASSWORD)
        return client

    def new_folder(self, *letters: bytes) -> str:
        """A new empty folder (its own UIDVALIDITY) holding ``letters`` in this order."""
        name = f"test{os.getpid()}x{next(self._folders)}"
        client = self.client()
        try:
            assert client.create(name)[0] == "OK"
            for raw in letters:
                assert client.append(name, None, None, raw)[0] == "OK"
        finally:
            client.logout()
        return name

    def append(self, folder: str, *letters: bytes, received: datetime | None = None) -> None:
        """Put ``letters`` into ``folder`` (``received``: the date the server gives them, else now)."""
        client = self.client()
        try:
            for raw in letters:
                assert client.append(folder, None, received, raw)[0] == "OK"
        finally:
            client.logout()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _identity(mail_root: Path) -> tuple[int, int, str]:
    """The uid/gid that owns the mail, and the settings naming the unprivileged users: as root, the
    package's own «dovecot» user; otherwise the current user (Dovecot then runs entirely as them)."""
    if os.geteuid() == 0:
        user = pwd.getpwnam("dovecot")
        shutil.chown(mail_root, user.pw_uid, user.pw_gid)
        return user.pw_uid, user.pw_gid, ""
    me = pwd.getpwuid(os.getuid())
    return me.pw_uid, me.pw_gid, (f"default_internal_user = {me.pw_name}\n"
                                  f"default_login_user = {me.pw_name}\ndefault_internal_group = {me.pw_name}")


def start_dovecot(root: Path) -> MailServer:
    """Dovecot in the foreground on a free port, its config, user and maildir under ``root``; skips the
    test (with the reason) where it is not installed or cannot start."""
    binary = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
    if binary is None:
        pytest.skip("Dovecot не установлен (apt-get install dovecot-imapd): тесты почты пропущены")
    try:
        pwd.getpwnam("dovecot")
    except KeyError:
        if os.geteuid() == 0:
            pytest.skip("Нет пользователя dovecot: тесты почты пропущены")
    for folder in ("run", "state", "mail"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o755)
    uid, gid, users_line = _identity(root / "mail")
    (root / "users").write_text(f"{LOGIN}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{root / 'mail' / 'shop'}\n")
    port = free_port()
    certificate = _certificate(root)
    tls_port = free_port() if certificate else 0
    ssl = (f"ssl = yes\nssl_cert = <{certificate}\nssl_key = <{root / 'key.pem'}" if certificate else "ssl = no")
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, port=port, users_line=users_line, ssl=ssl, tls_port=tls_port))
    process = subprocess.Popen([binary, "-F", "-c", str(config)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode(errors="replace").strip()
            pytest.skip(f"Dovecot не запустился: {error[-300:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.05)  # waiting for the server to listen, not timing anything
    else:
        process.kill()
        pytest.skip("Dovecot не начал принимать подключения")
    return MailServer(port, root, process, tls_port, certificate)


def _certificate(root: Path) -> Path | None:
    """A self-signed certificate for 127.0.0.1 (None where openssl is missing)."""
    if shutil.which("openssl") is None:
        return None
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                           "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                           "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem")],
                          capture_output=True)
    return root / "cert.pem" if made.returncode == 0 else None


def dovecot_session():
    """For a session fixture: Dovecot started, yielded, stopped. Its folder is outside pytest's
    private temporary folder: as root, Dovecot reads the mail as its own unprivileged user."""
    root = Path(tempfile.mkdtemp(prefix="crm-dovecot-"))
    try:
        server = start_dovecot(root)
        yield server
        server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
