"""Every window and dialog of the program opens inside the screen it is on, at the size it had last
time on this PC (QSettings), but never larger than that screen's available area.

One application-wide event filter (``install``, done by ``ui.shell.app.application``) does it for every
top-level widget when it is first shown, so a new dialog gets it without a line of its own code;
``fit_to_screen`` is the same clamp for a widget shown by other means (the screenshot mode).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox, QWidget

# What a window manager adds around a window that is not shown yet (title bar, borders): the
# frame is known only once the window is mapped, and a clamp must leave room for it.
FRAME_GUESS = QSize(16, 40)
SETTINGS_GROUP = "windowSizes"
_FITTED = "_fittedToScreen"  # a dynamic property: this widget was fitted at its first show
# sized by their own text or by Qt: fitted, never remembered
_NOT_REMEMBERED = (QMessageBox, QInputDialog, QFileDialog)
_simulated: QSize | None = None  # the screen the screenshot mode and the tests play


def simulate_screen(size: QSize | None) -> None:
    """Play a screen of ``size`` (a 1366×768 laptop) instead of the real one; None: the real one."""
    global _simulated
    _simulated = size


def parse_size(text: str) -> QSize:
    """«1366x768» as a QSize."""
    width, height = (int(v) for v in text.lower().split("x"))
    return QSize(width, height)


def available_area(widget: QWidget) -> QRect:
    """The part of the widget's screen (or the primary one) windows may cover: without task bars."""
    if _simulated is not None:
        return QRect(QPoint(0, 0), _simulated)
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_extra(widget: QWidget) -> QSize:
    """How much the window manager's frame adds to the widget's own size (a guess before it is shown)."""
    frame, inner = widget.frameGeometry(), widget.geometry()
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Created) and frame != inner:
        return QSize(frame.width() - inner.width(), frame.height() - inner.height())
    return QSize(0, 0) if QGuiApplication.platformName() == "offscreen" else FRAME_GUESS


def fit_to_screen(widget: QWidget, wanted: QSize | None = None) -> None:
    """Resize ``widget`` (to ``wanted``, else its current size) so its frame fits the available area,
    and move it inside that area."""
    area = available_area(widget)
    extra = frame_extra(widget)
    size = wanted or widget.size()
    width = min(size.width(), area.width() - extra.width())
    height = min(size.height(), area.height() - extra.height())
    widget.resize(max(width, 1), max(height, 1))
    frame = QRect(widget.pos(), widget.size() + extra)
    if not area.contains(frame):
        left = min(max(frame.left(), area.left()), area.right() + 1 - frame.width())
        top = min(max(frame.top(), area.top()), area.bottom() + 1 - frame.height())
        widget.move(QPoint(max(left, area.left()), max(top, area.top())))


def fill_screen(widget: QWidget) -> None:
    """Cover the whole available area, as a maximised window does (frame and all): the screenshot mode."""
    widget.setProperty(_FITTED, True)
    area = available_area(widget)
    widget.setGeometry(area)


def settings_key(widget: QWidget) -> str:
    """Where this kind of window keeps its size: its class and object name."""
    name = widget.objectName()
    return f"{SETTINGS_GROUP}/{type(widget).__name__}" + (f"-{name}" if name else "")


def remembered_size(widget: QWidget) -> QSize | None:
    value = QSettings().value(settings_key(widget))
    return value if isinstance(value, QSize) and value.isValid() else None


def remember_size(widget: QWidget) -> None:
    """Keep a normal (not maximised, not full-screen) window's size for its next opening."""
    if widget.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
        return
    QSettings().setValue(settings_key(widget), widget.size())


def _is_managed(obj: QObject) -> bool:
    if not isinstance(obj, QWidget) or not obj.isWindow():
        return False
    return obj.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog)


class WindowFitter(QObject):
    """The event filter: fit at the first show, remember the size when the window is hidden."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show and _is_managed(obj) and not obj.property(_FITTED):
            obj.setProperty(_FITTED, True)
            remembers = not isinstance(obj, _NOT_REMEMBERED)
            fit_to_screen(obj, (remembered_size(obj) if remembers else None))
        elif kind == QEvent.Type.Hide and _is_managed(obj) and obj.property(_FITTED) \
                and not isinstance(obj, _NOT_REMEMBERED):
            remember_size(obj)
        return False


def install(app: QApplication) -> None:
    """Fit every window of ``app`` from now on (once per application)."""
    if app.findChild(WindowFitter, "windowFitter") is None:
        app.installEventFilter(WindowFitter(app, objectName="windowFitter"))
