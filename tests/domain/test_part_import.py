"""Parts lists from other cutting programs' CSV exports, columns found by their header names."""
from app.domain.part_import import read_parts_csv

MAXCUT = ('Type,Name,Length,Width,Quantity,Notes,Can Rotate (0 = No / 1 = Yes / 2 = Same As Material),Material\n'
          'Standard,Side,2000,400,2,"left,\nright",0,Фанера 18\n'
          'Standard,Shelf,800,300,3,,2,ЛДСП 16\n')
CUTLIST_PLUS = ('Part #;Description;Copies;Thickness;Width;Length;Material;Can Rotate\n'
                '1;Top;1;16;600;1200;ЛДСП 16 Белый;Yes\n'
                '2;Door;2;16;396;716;ЛДСП 16 Белый;No\n')
OPTICUTTER = 'Length\tWidth\tQuantity\tLabel\tMaterial\n1500\t500\t4\tPanel\tМДФ 16\n'
OWN = 'Деталь;Материал;Толщина;Длина;Ширина;Кол-во;Поворот;Кромка Д1\nЦарга;Фанера 18;18;1932;200;2;нет;2\n'


def test_maxcut_export():
    result = read_parts_csv(MAXCUT)
    assert result.problems == []
    side, shelf = result.lines
    assert (side.name, side.length, side.width, side.quantity, side.material) == ("Side", 2000, 400, 2, "Фанера 18")
    assert side.may_rotate is False and side.notes == "left, right" and side.thickness == 18
    # «2»: as the material says — unknown here, so the grain is kept, as for a row without «Поворот»
    assert shelf.may_rotate is False and shelf.thickness == 16


def test_cutlist_plus_and_opticutter_and_the_shops_own_columns():
    top, door = read_parts_csv(CUTLIST_PLUS).lines
    assert (top.name, top.length, top.width, top.may_rotate) == ("Top", 1200, 600, True)
    assert (door.name, door.quantity, door.may_rotate) == ("Door", 2, False)
    (panel,) = read_parts_csv(OPTICUTTER).lines
    assert (panel.name, panel.length, panel.width, panel.quantity, panel.thickness) == ("Panel", 1500, 500, 4, 16)
    (rail,) = read_parts_csv("\ufeff" + OWN).lines
    assert (rail.name, rail.edge_l1, rail.may_rotate) == ("Царга", "2", False)


def test_bad_rows_and_missing_columns_are_reported():
    result = read_parts_csv(OPTICUTTER + "abc\t500\t1\tX\tМДФ 16\n\n1500\t500\t1\tY\tМДФ 16\n")
    assert [line.name for line in result.lines] == ["Panel", "Y"]
    assert [p.row for p in result.problems] == [3] and "не число" in str(result.problems[0])
    missing = read_parts_csv("Name,Qty\nA,1\n")
    assert missing.lines == [] and "Длина, Ширина" in str(missing.problems[0])
