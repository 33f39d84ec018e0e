"""QSettings of the test, not of the machine (an autouse fixture for modules that import it); the
settings folder and the organisation name are put back afterwards, so later tests start clean."""
from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication


@pytest.fixture(autouse=True)
def own_settings(tmp_path):
    app = QApplication.instance() or QApplication([])
    organisation, default_format = app.organizationName(), QSettings.defaultFormat()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    app.setOrganizationName("Manya-test")
    yield
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, os.environ["XDG_CONFIG_HOME"])
    app.setOrganizationName(organisation)
    QSettings.setDefaultFormat(default_format)
