"""Edge banding: metres per banding type with overhang, and parts cut smaller by thick banding."""
from decimal import Decimal

from app.domain.banding import (
    BandingType,
    banding_by_code,
    banding_metres,
    cut_size,
    edge_choices,
    edge_mark,
    metres_text,
    offered,
)
from app.domain.specs import PartLine


def _line(l1="", l2="", w1="", w2="", qty=2):
    return PartLine("Боковина", "ЛДСП 16", Decimal(16), 2000, 400, qty, l1, l2, w1, w2)


def test_metres_per_banding_type_include_the_overhang():
    types = banding_by_code()
    totals = banding_metres([_line(l1="2", l2="0.4", w1="2"), _line(l1="0.4", qty=1)], types)
    # ПВХ 2: 2 × (2000 + 20) + 2 × (400 + 20); ПВХ 0,4: 2 × 2020 + 1 × 2020
    assert totals == {"ПВХ 2": Decimal("4.88"), "ПВХ 0,4": Decimal("6.06")}
    assert metres_text(totals) == "ПВХ 0,4 — 6,1 м; ПВХ 2 — 4,9 м"
    assert metres_text({}) == "нет"


def test_the_size_to_cut_takes_off_compensated_banding():
    types = banding_by_code()
    assert cut_size(_line(l1="2", l2="2", w1="0.4"), types) == (2000, 396)  # 0,4 is not compensated
    assert cut_size(_line(w1="1", w2="2"), types) == (1997, 400)
    own = banding_by_code([BandingType("2", "ABS 2", Decimal(2), overhang=30, compensate=False)])
    assert cut_size(_line(l1="2"), own) == (2000, 400)
    assert banding_metres([_line(l1="2", qty=1)], own) == {"ABS 2": Decimal("2.03")}


def test_an_edge_is_marked_by_its_thickness_unless_two_types_share_it():
    own = banding_by_code([*banding_by_code().values(), BandingType("1-2", "ABS 1", Decimal(1))])
    assert [edge_mark(own, code) for code in ("", "0.4", "2", "1", "1-2")] == ["—", "0,4", "2", "ПВХ 1", "ABS 1"]
    assert offered(own, "1") == ["—", "ПВХ 0,4", "ПВХ 0,8", "ПВХ 1", "ПВХ 2", "ABS 1"]
    out = {**own, "1": BandingType("1", "ПВХ 1", Decimal(1), active=False)}
    assert offered(out) == ["—", "ПВХ 0,4", "ПВХ 0,8", "ПВХ 2", "ABS 1"] and "ПВХ 1" in offered(out, "1")
    assert edge_choices(out)["1"] == "ПВХ 1"  # still read (the lines that have it save)
