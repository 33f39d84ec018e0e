"""A bar chart of one analytics table (pyqtgraph, imported the first time a chart is drawn, so the
program's start-up never pays for it). A click on a bar says which row of the table it stands for."""
from __future__ import annotations

from PySide6.QtCore import QPointF, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.queries.analytics_tables import Money, Table, bar_length

SERIES_COLOURS = ("#4C78A8", "#F58518")
THOUSAND_ROUBLES = 100_000  # kopecks
# the value axis reaches this much past the longest bar: the legend sits there
HEADROOM = {True: 1.35, False: 1.7}  # standing bars (weeks, months), lying bars
_pg = None


def pyqtgraph():
    """The pyqtgraph module, configured for the program's charts on first use."""
    global _pg
    if _pg is None:
        import pyqtgraph as pg

        pg.setConfigOptions(background="w", foreground="#333333", antialias=True)
        _pg = pg
    return _pg


def bar_value(value) -> float:
    """A cell as a bar's length (money in thousands of roubles)."""
    return bar_length(value, THOUSAND_ROUBLES)


class BarChart(QWidget):
    """Grouped bars of the table's chart columns: lying bars top-down (stages, people, sources) or
    standing bars in time order (weeks, months); ``barClicked`` gives the table's row."""

    barClicked = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        pg = pyqtgraph()
        self.plot = pg.PlotWidget(objectName="analyticsChart")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.legend = self.plot.addLegend(offset=(-10, 10), brush=(255, 255, 255, 220))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.table: Table | None = None
        self.rows = 0
        self.plot.scene().sigMouseClicked.connect(self._clicked)

    @property
    def over_time(self) -> bool:
        return bool(self.table and self.table.chart and self.table.chart.over_time)

    def show_table(self, table: Table) -> None:
        """Draw ``table``'s chart columns (the «Итого» row left out)."""
        pg = pyqtgraph()
        self.table = table
        self.plot.clear()
        self.legend.clear()
        rows = [row for row in table.rows if row[0] != "Итого"]
        self.rows = len(rows)
        series = table.chart.series
        width = 0.8 / len(series)
        highest = 0.0
        for number, column in enumerate(series):
            values = [bar_value(row[column]) for row in rows]
            highest = max([highest, *values])
            offsets = [i - 0.4 + width * (number + 0.5) for i in range(len(rows))]
            brush = pg.mkBrush(SERIES_COLOURS[number % len(SERIES_COLOURS)])
            if self.over_time:
                bars = pg.BarGraphItem(x=offsets, height=values, width=width, brush=brush, pen=None)
            else:
                bars = pg.BarGraphItem(x0=0, y=offsets, width=values, height=width, brush=brush, pen=None)
            self.plot.addItem(bars)
            self.legend.addItem(bars, table.headers[column])
        labels = [(i, str(row[table.chart.label])) for i, row in enumerate(rows)]
        if self.over_time:
            step = -(-len(labels) // 8)  # at most 8 labels under the bars
            self.plot.getAxis("bottom").setTicks([labels[::step], []])
            self.plot.getAxis("left").setTicks(None)
            self.plot.getPlotItem().invertY(False)
        else:
            self.plot.getAxis("left").setTicks([labels, []])
            self.plot.getAxis("bottom").setTicks(None)
            self.plot.getPlotItem().invertY(True)  # the first row on top, as in the table
        # room above (or right of) the bars for the legend
        value_range, row_range = (0, (highest or 1) * HEADROOM[self.over_time]), (-0.6, max(self.rows, 1) - 0.4)
        money = any(isinstance(row[column], Money) for row in rows for column in series)
        self.plot.setLabel("left" if self.over_time else "bottom", "тыс. руб" if money else "")
        if self.over_time:
            self.plot.setRange(xRange=row_range, yRange=value_range, padding=0)
        else:
            self.plot.setRange(xRange=value_range, yRange=row_range, padding=0)

    def row_at(self, scene_pos: QPointF) -> int | None:
        """The table row whose bars are under ``scene_pos`` (None: none)."""
        view = self.plot.getPlotItem().getViewBox()
        if not view.sceneBoundingRect().contains(scene_pos):
            return None
        point = view.mapSceneToView(scene_pos)
        row = round(point.x() if self.over_time else point.y())
        return row if 0 <= row < self.rows else None

    def bar_centre(self, row: int) -> QPointF:
        """The scene position of the middle of ``row``'s first bar (tests click there)."""
        view = self.plot.getPlotItem().getViewBox()
        column = self.table.chart.series[0]
        value = bar_value(self.table.rows[row][column]) / 2
        offset = row - 0.4 + 0.4 / len(self.table.chart.series)
        point = QPointF(offset, value) if self.over_time else QPointF(value, offset)
        return view.mapViewToScene(point)

    def _clicked(self, event) -> None:
        row = self.row_at(event.scenePos())
        if row is not None:
            self.barClicked.emit(row)
