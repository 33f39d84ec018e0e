"""``--demo`` copies a template built once a day into the cache folder (a start takes a copy, not
seconds of building); the template is built again when the day, the program or the builder changed."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.demo import opening, template
from app.services import deals, people
from app.store import files
from app.store.db import close_database
from app.store.models import Deal


@pytest.fixture
def builds(monkeypatch, fake_clock, tmp_path):
    """A small stand-in for the demo builder (the real one is tested in test_demo), counting its runs."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    made: list[str] = []

    def build_demo() -> None:
        manager = people.create_user("tatiana", "Татьяна", "manager")
        deals.create_deal(manager, name=f"Демо {len(made) + 1}")
        (files.files_root() / "чертеж.pdf").write_bytes(b"%PDF-1.4")
        made.append(template.template_key())

    monkeypatch.setattr("app.demo.shop.build_demo", build_demo)
    yield made
    close_database()
    files.set_files_root(None)


def _open() -> tuple[str, list[str], bool]:
    opened = opening.open_demo()
    names = [deal.name for deal in Deal.select()]
    attached = (files.files_root() / "чертеж.pdf").exists()
    return opened.url, names, attached


def test_the_template_is_built_once_and_each_start_gets_its_own_copy(builds):
    first_url, names, attached = _open()
    assert names == ["Демо 1"] and attached
    Deal.update(name="Изменена в первой копии").execute()
    close_database()
    second_url, names, attached = _open()
    assert len(builds) == 1 and second_url != first_url
    assert names == ["Демо 1"] and attached  # a fresh copy, not the first start's changes
    assert template.is_ready()


def test_the_template_is_built_again_on_another_day_or_another_program(builds, fake_clock, monkeypatch):
    _open()
    close_database()
    fake_clock.advance(timedelta(days=1))
    assert not template.is_ready()
    _open()
    close_database()
    monkeypatch.setattr(template, "program_version", lambda: "99.0")
    _open()
    assert len(builds) == 3 and len(set(builds)) == 3
    assert [folder.name for folder in template.cache_dir().iterdir()] == [template.template_key()]
