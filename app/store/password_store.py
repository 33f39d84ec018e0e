"""The PostgreSQL password of this PC: in the system keyring, else in a file only the user can read.

Headless Linux has no keyring backend; there the fallback file (mode 600, in the user's config
folder) is used. The password never goes into the connection settings file.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

SERVICE = "workshop-crm"


class PasswordStore:
    """Keeps one password per server account (``key``: «user@host:port/database»)."""

    def __init__(self, fallback_file: Path) -> None:
        self.fallback_file = fallback_file

    def set(self, key: str, password: str) -> str:
        """Store ``password``; returns where it went (in Russian, for the dialog)."""
        import keyring  # loads when a password is asked for, not with the window
        import keyring.errors

        try:
            keyring.set_password(SERVICE, key, password)
        except keyring.errors.KeyringError:
            self._write_file({**self._read_file(), key: password})
            return f"в файле {self.fallback_file} (доступен только вам)"
        self._forget_in_file(key)
        return "в системном хранилище паролей"

    def get(self, key: str) -> str | None:
        import keyring
        import keyring.errors

        try:
            found = keyring.get_password(SERVICE, key)
        except keyring.errors.KeyringError:
            found = None
        return found if found is not None else self._read_file().get(key)

    def delete(self, key: str) -> None:
        import keyring
        import keyring.errors

        try:
            keyring.delete_password(SERVICE, key)
        except keyring.errors.KeyringError:  # includes PasswordDeleteError: nothing was stored
            pass
        self._forget_in_file(key)

    def _forget_in_file(self, key: str) -> None:
        stored = self._read_file()
        if key in stored:
            del stored[key]
            self._write_file(stored)

    def _read_file(self) -> dict[str, str]:
        try:
            return json.loads(self.fallback_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _write_file(self, passwords: dict[str, str]) -> None:
        self.fallback_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.fallback_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(passwords, out, ensure_ascii=False)
        os.chmod(self.fallback_file, 0o600)
