"""The program's version, kept in one place: ``version`` in pyproject.toml.

An installed program (pip or the bundle, which carries the package's metadata) reads it from the
package metadata; a source checkout that was never installed reads pyproject.toml itself.
"""
from __future__ import annotations

import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "workshop-crm"
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


@cache
def program_version() -> str:
    """«0.1.0» — the version of this program."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pass
    try:
        return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "неизвестна"
