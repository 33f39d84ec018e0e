"""The «Файлы» tab: the deal's brief, design pictures (as thumbnails), order form, drawings; add
by button or by dropping files, open with the system viewer."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.domain.codes import Role
from app.services import notes
from app.services.notes import FileLine
from app.store import files
from app.store.models import Attachment
from ui.common import msgbox
from ui.common.list_table_model import ListTableModel
from ui.deal.thumbnails import thumbnail

ICON = 96
DEFAULT_KIND = {Role.DESIGNER: "design", Role.CONSTRUCTOR: "drawing"}


def open_with_system_viewer(path: Path) -> bool:
    """Open a file in the program the system uses for it (tests replace this)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class FilesModel(ListTableModel):
    HEADERS = ("Файл",)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.file_icon = QIcon()

    def load(self, deal_id: int) -> None:
        self.set_rows(notes.attachments_of(deal_id))

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        line: FileLine | None = self.row_at(index)
        if line is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{line.kind_name}\n{line.name}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{line.kind_name}: {line.name} ({line.size // 1024 + 1} КБ)"
        if role == Qt.ItemDataRole.DecorationRole:
            pixmap = thumbnail(line.stored_name, ICON) if line.is_image else None
            return QIcon(pixmap) if pixmap is not None else self.file_icon
        if role == Qt.ItemDataRole.UserRole:
            return line
        return None


class FilesPanel(QWidget):
    """Attached files as icons; accepts dropped files anywhere on the tab."""

    attached = Signal()

    def __init__(self, window, deal_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_, self.deal_id = window, deal_id
        self.setObjectName("dealFiles")
        self.setAcceptDrops(True)
        self.model = FilesModel(self)
        self.model.file_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        self.view = QListView(objectName="dealFilesView")
        self.view.setModel(self.model)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setIconSize(QSize(ICON, ICON))
        self.view.setGridSize(QSize(ICON + 60, ICON + 48))
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setWordWrap(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.activated.connect(self.open_index)
        self.kind = QComboBox(objectName="fileKind")
        for code, name in Attachment.KINDS.items():
            self.kind.addItem(name, code)
        self.kind.setCurrentIndex(self.kind.findData(DEFAULT_KIND.get(window.user.role, "other")))
        add = QPushButton("Прикрепить файл…", objectName="attachFile")
        add.clicked.connect(lambda: self.add_files(msgbox.open_files(self, "Прикрепить файлы к сделке")))
        open_button = QPushButton("Открыть", objectName="openFile")
        open_button.clicked.connect(lambda: self.open_index(self.view.currentIndex()))
        row = QHBoxLayout()
        row.addWidget(QLabel("Вид файла:"))
        row.addWidget(self.kind)
        row.addWidget(add)
        row.addStretch(1)
        row.addWidget(open_button)
        hint = QLabel("Перетащите файлы сюда, чтобы прикрепить. Двойной щелчок — открыть.")
        hint.setStyleSheet("color: #607d8b;")
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(hint)

    def refresh(self) -> None:
        self.model.load(self.deal_id)

    def add_files(self, paths: list[Path]) -> None:
        """Attach ``paths`` as the chosen kind (the card refreshes once); say which were refused."""
        kind = self.kind.currentData()
        result = self.window_.action_runner.run(self, "Файл не прикреплён", lambda: notes.attach_files(
            self.deal_id, self.window_.user, paths, kind))
        if result is None:
            return
        if result.refused:
            msgbox.error(self, "Файл не прикреплён", "\n".join(result.refused))
        if result.attached:
            self.attached.emit()

    def open_index(self, index: QModelIndex) -> None:
        line = index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None
        if line is None:
            return
        path = files.path_of(line.stored_name)
        if not path.is_file() or not open_with_system_viewer(path):
            msgbox.error(self, "Файл не открыт", f"Не удалось открыть «{line.name}».")

    @staticmethod
    def _local_files(event) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()
                and Path(url.toLocalFile()).is_file()]

    def dragEnterEvent(self, event) -> None:
        if self._local_files(event):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if self._local_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = self._local_files(event)
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)
