"""The managed folder where attached files are kept under names the program chooses.

A user's file name is only a label: it is sanitised, and the stored name is never trusted as a path.
"""
from __future__ import annotations

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
    stem, ext = stem[:100], ext[:10]
    return f"{stem}.{ext}" if ext else stem


def store(source: Path, deal_id: int) -> tuple[str, int, str]:
    """Copy ``source`` into the managed folder; returns (stored name, size, sha256)."""
    safe = sanitize_filename(source.name)
    stored = f"{deal_id}/{uuid.uuid4().hex[:12]}-{safe}"
    target = files_root() / stored
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with source.open("rb") as src, target.open("wb") as dst:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            digest.update(chunk)
            dst.write(chunk)
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
