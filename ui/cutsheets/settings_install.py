"""«Настройки → Кромка…» and «Настройки → Бирки…»: the cutting settings of the shop, for whoever
makes cut sheets (the constructor; the administrator has every right); others are told who may."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from app.domain.errors import ServiceError
from app.services import permissions
from ui.common import msgbox


def banding_dialog(window):
    from ui.cutsheets.banding_dialog import BandingTypesDialog

    return BandingTypesDialog(window)


def labels_dialog(window):
    from ui.cutsheets.labels_dialog import LabelSettingsDialog  # renders with reportlab: on use

    return LabelSettingsDialog(window)


DIALOGS = (("Кромка…", "bandingSettingsAction", banding_dialog), ("Бирки…", "labelSettingsAction", labels_dialog))
SHOW_DIALOGS = {"banding": banding_dialog, "labels": labels_dialog}


def open_dialog(window, make):
    """The dialog ``make`` builds, opened; None (and the reason shown) without the right."""
    try:
        permissions.require(window.user, permissions.CUT_SHEETS)
    except ServiceError as error:
        msgbox.error(window, "Настройки раскроя", str(error))
        return None
    dialog = make(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def install_cutting_settings(window) -> None:
    """Add the two entries to «Настройки» of ``window`` (not on the workshop terminal)."""
    if window.workstation == "workshop":
        return
    for title, name, make in DIALOGS:
        action = QAction(title, window, objectName=name)
        action.triggered.connect(lambda _=False, make=make: open_dialog(window, make))
        window.add_menu_action(window.settings_menu, action)


def show_dialog(window, what: str):
    """``--show banding|labels``: that dialog, for a screenshot."""
    return SHOW_DIALOGS[what](window)
