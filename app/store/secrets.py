"""Where this PC keeps secrets (SMS gateway keys): the system keyring via PasswordStore, or — for the
demo shop and tests — a store in memory that never touches the keyring."""
from __future__ import annotations

from typing import Protocol

from app.store.connection_settings import config_dir
from app.store.password_store import PasswordStore


class SecretStore(Protocol):
    def set(self, key: str, password: str) -> str: ...

    def get(self, key: str) -> str | None: ...

    def delete(self, key: str) -> None: ...


class MemorySecrets:
    """Secrets held by this process only (the demo's test key)."""

    def __init__(self, values: dict[str, str] | None = None) -> None:
        self.values = dict(values or {})

    def set(self, key: str, password: str) -> str:
        self.values[key] = password
        return "в памяти программы (до её закрытия)"

    def get(self, key: str) -> str | None:
        return self.values.get(key)

    def delete(self, key: str) -> None:
        self.values.pop(key, None)


_store: SecretStore | None = None


def store() -> SecretStore:
    """The secret store in use (default: the keyring, with the private file fallback)."""
    global _store
    if _store is None:
        _store = PasswordStore(config_dir() / "secrets.json")
    return _store


def use(new: SecretStore | None) -> SecretStore | None:
    """Install ``new`` (None: back to the keyring); returns the previous store."""
    global _store
    previous, _store = _store, new
    return previous
