"""The managed folder where attached files are kept under names the program chooses.

A user's file name is only a label: it is sanitised, and the stored name is never trusted as a path.
"""
from __future__ import annotations

import errno
import hashlib
import re
import shutil
import unicodedata
import uuid
from pathlib import Path

from app.store import db

_root: Path | None = None

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                     *(f"lpt{i}" for i in range(1, 10))}


def set_files_root(path: Path | None) -> None:
    """Choose the managed folder (None: next to the SQLite file / in the user's data folder)."""
    global _root
    _root = path


def files_root() -> Path:
    root = _root or db.data_dir() / "files"
    root.mkdir(parents=True, exist_ok=True)
    return root


def sanitize_filename(name: str) -> str:
    """A safe file name from whatever the user's file was called («../../x.jpg» → «x.jpg»)."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").split("/")[-1])
    name = re.sub(r"[\x00-\x1f<>:\"|?*]", "_", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if stem.lower() in _WINDOWS_RESERVED or not stem:
        stem = "file_" + stem
    stem, ext = _cut_to_bytes(stem, STEM_BYTES), _cut_to_bytes(ext, 16)
    return f"{stem}.{ext}" if ext else stem


STEM_BYTES = 150  # with the stored name's prefix and the extension, well under a file system's 255 bytes


def _cut_to_bytes(text: str, limit: int) -> str:
    """``text`` shortened to at most ``limit`` bytes of UTF-8 without splitting a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


_OS_ERRORS = {errno.ENOSPC: "на диске нет места", errno.EACCES: "нет доступа к файлу или папке",
              errno.EPERM: "нет доступа к файлу или папке", errno.ENAMETOOLONG: "слишком длинное имя файла",
              errno.ENOENT: "файл не найден", errno.EROFS: "диск только для чтения",
              errno.EIO: "ошибка чтения или записи диска"}


def os_error_text(error: OSError) -> str:
    """A Russian explanation of a file system error."""
    return _OS_ERRORS.get(error.errno, f"ошибка файловой системы ({error.strerror or error.errno})")


def store(source: Path, deal_id: int) -> tuple[str, int, str]:
    """Copy ``source`` into the managed folder; returns (stored name, size, sha256)."""
    safe = sanitize_filename(source.name)
    stored = f"{deal_id}/{uuid.uuid4().hex[:12]}-{safe}"
    target = files_root() / stored
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    try:
        with source.open("rb") as src, target.open("wb") as dst:
            for chunk in iter(lambda: src.read(1 << 20), b""):
                digest.update(chunk)
                dst.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)  # no half-copied file left behind
        raise
    return stored, target.stat().st_size, digest.hexdigest()


IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp"})


def is_image(name: str) -> bool:
    """Whether a file name says it is a picture (shown as a thumbnail)."""
    return Path(name).suffix.lower() in IMAGE_SUFFIXES


def path_of(stored_name: str) -> Path:
    """The file behind a stored name; refuses anything that points outside the managed folder."""
    root = files_root().resolve()
    target = (root / stored_name).resolve()
    if root not in target.parents:
        raise ValueError(f"Недопустимое имя файла: {stored_name!r}")
    return target


def copy_tree_to(target: Path) -> None:
    """Copy the whole managed folder to ``target`` (for backups)."""
    shutil.copytree(files_root(), target, dirs_exist_ok=True)
