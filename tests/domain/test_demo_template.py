"""``--demo`` copies a template built once a day into the cache folder (a start takes a copy, not
seconds of building); the template is built again when the day, the program or the builder changed."""
from __future__ import annotations

from datetime import timedelta

from app.demo import opening, template
from app.store import files
from app.store.db import close_database
from app.store.models import Deal


def _open() -> tuple[str, list[str], bool]:
    opened = opening.open_demo()
    names = [deal.name for deal in Deal.select()]
    attached = (files.files_root() / "чертеж.pdf").exists()
    return opened.url, names, attached


def test_the_template_is_built_once_and_each_start_gets_its_own_copy(demo_builds):
    first_url, names, attached = _open()
    assert names == ["Демо 1"] and attached
    Deal.update(name="Изменена в первой копии").execute()
    close_database()
    second_url, names, attached = _open()
    assert len(demo_builds) == 1 and second_url != first_url
    assert names == ["Демо 1"] and attached  # a fresh copy, not the first start's changes
    assert template.is_ready()


def test_the_template_is_built_again_on_another_day_or_another_program(demo_builds, fake_clock, monkeypatch):
    _open()
    close_database()
    fake_clock.advance(timedelta(days=1))
    assert not template.is_ready()
    _open()
    close_database()
    monkeypatch.setattr(template, "program_version", lambda: "99.0")
    _open()
    assert len(demo_builds) == 3 and len(set(demo_builds)) == 3
    assert [folder.name for folder in template.cache_dir().iterdir()] == [template.template_key()]
