"""Which database this PC works on: the embedded SQLite file or the shop's PostgreSQL server.

Stored per PC in ``connection.json`` in the user's config folder; the password lives in the
PasswordStore (keyring or a file readable only by the user), never in this file.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import platformdirs

from app.store.db import APP_AUTHOR, APP_NAME, default_url, sqlite_path
from app.store.password_store import PasswordStore

SQLITE, POSTGRES = "sqlite", "postgresql"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


@dataclass
class ConnectionSettings:
    kind: str = SQLITE
    sqlite_file: str = ""  # empty: the default file in the user's data folder
    host: str = ""
    port: int = 5432
    database: str = "crm"
    user: str = ""
    files_dir: str = ""  # attached files; with a server: a shared folder every PC sees

    @property
    def account(self) -> str:
        """The key of this server account's password."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def url(self, password: str | None = None) -> str:
        """The database URL (with the password, for opening only — never stored)."""
        if self.kind == SQLITE:
            return f"sqlite:///{self.sqlite_file}" if self.sqlite_file else default_url()
        secret = f":{quote(password, safe='')}" if password else ""
        return f"postgresql://{quote(self.user, safe='')}{secret}@{self.host}:{self.port}/{self.database}"

    def same_database(self, url: str) -> bool:
        """Whether ``url`` opens the database these settings describe."""
        other = ConnectionSettings.from_url(url)
        if self.kind == SQLITE:
            return other.kind == SQLITE and sqlite_path(self.url()) == sqlite_path(url)
        return (other.kind, other.host, other.port, other.database, other.user) == (
            self.kind, self.host, self.port, self.database, self.user)

    def describe(self) -> str:
        """Where the data is, for the status bar."""
        if self.kind == SQLITE:
            return f"SQLite: {sqlite_path(self.url())}"
        return f"Сервер {self.host}:{self.port}, база {self.database}"

    @classmethod
    def from_url(cls, url: str) -> "ConnectionSettings":
        """Settings describing ``url`` (its password, if any, is dropped)."""
        parsed = urlparse(url)
        if parsed.scheme == SQLITE:
            return cls(kind=SQLITE, sqlite_file=str(sqlite_path(url) or ""))
        return cls(kind=POSTGRES, host=parsed.hostname or "", port=parsed.port or 5432,
                   database=parsed.path.lstrip("/"), user=unquote(parsed.username or ""))


class SettingsStore:
    """This PC's connection settings and password."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or config_dir()
        self.file = self.folder / "connection.json"
        self.passwords = PasswordStore(self.folder / "secrets.json")

    def load(self) -> ConnectionSettings | None:
        """The saved settings, or None if this PC never chose."""
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        known = {f.name for f in fields(ConnectionSettings)}
        return ConnectionSettings(**{k: v for k, v in data.items() if k in known})

    def save(self, settings: ConnectionSettings, password: str | None = None) -> str:
        """Remember ``settings`` (and the server password); returns where the password went."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.file.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=1), encoding="utf-8")
        if settings.kind == POSTGRES and password:
            return self.passwords.set(settings.account, password)
        return ""

    def password(self, settings: ConnectionSettings) -> str | None:
        return self.passwords.get(settings.account) if settings.kind == POSTGRES else None

    def saved_url(self) -> str | None:
        """The URL to open by default on this PC (None: never configured)."""
        settings = self.load()
        return settings.url(self.password(settings)) if settings else None
