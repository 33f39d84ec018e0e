"""``python -m app.cutting IN.json`` round trip through a subprocess."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path: Path, data: dict) -> subprocess.CompletedProcess:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "app.cutting", str(path)], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def test_documented_shape(tmp_path):
    data = {"boards": [{"material": "ЛДСП 16", "length": 2800, "width": 2070, "trim": 10, "kerf": 4}],
            "parts": [{"id": "15-3", "material": "ЛДСП 16", "length": 1900, "width": 800, "qty": 5,
                       "rotate": False},
                      {"id": "15-4", "material": "ЛДСП 16", "length": 600, "width": 400, "qty": 3,
                       "rotate": True, "order": "15", "name": "Фасад ящика"}],
            "time_limit": 0.5}
    proc = run(tmp_path, data)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["boards_used"] == len(out["layouts"]) == 3
    assert out["lower_bound"] == 3 and out["optimal"] is True
    placements = [pl for layout in out["layouts"] for pl in layout["placements"]]
    assert len(placements) == 8
    for layout in out["layouts"]:
        assert (layout["material"], layout["board_length"], layout["board_width"]) == ("ЛДСП 16", 2800, 2070)
        assert 0 < layout["utilisation"] <= 1
        assert isinstance(layout["offcuts"], list)
    for pl in placements:
        assert {"id", "x", "y", "length", "width", "rotated"} <= pl.keys()
        assert (pl["length"], pl["width"]) in ((1900, 800), (600, 400))
        assert pl["x"] >= 10 and pl["y"] >= 10
    drawer = [pl for pl in placements if pl["id"] == "15-4"]
    assert all(pl["order"] == "15" and pl["name"] == "Фасад ящика" for pl in drawer)


def test_bad_input_prints_the_message_not_a_traceback(tmp_path):
    data = {"parts": [{"id": "15-3", "material": "ЛДСП 16", "length": 2900, "width": 800,
                       "rotate": False}]}
    proc = run(tmp_path, data)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "Деталь 15-3 (2900×800) больше любого листа «ЛДСП 16» (2780×2050 после обрезки кромок)" in proc.stderr
    assert proc.stdout == ""


def test_malformed_field_is_reported(tmp_path):
    proc = run(tmp_path, {"parts": [{"id": "9-1", "material": "ЛДСП 16", "length": "длинная",
                                     "width": 300}]})
    assert proc.returncode == 2 and "9-1" in proc.stderr and "Traceback" not in proc.stderr


def test_offcuts_are_the_merged_pieces_the_saw_can_cut(tmp_path):
    """Three parts stacked at the board's end leave one 1308×2050 piece beside them, not the
    optimiser's three 1308×453 strips: the JSON lists the offcuts as «Раскроено» offers them."""
    data = {"boards": [{"material": "ЛДСП", "length": 2800, "width": 2070, "trim": 10, "kerf": 4}],
            "parts": [{"id": "1", "material": "ЛДСП", "length": 1468, "width": 453, "qty": 3, "rotate": False}],
            "time_limit": 0.5, "min_offcut": [300, 100]}
    proc = run(tmp_path, data)
    assert proc.returncode == 0, proc.stderr
    layout, = json.loads(proc.stdout)["layouts"]
    sizes = sorted(((o["length"], o["width"]) for o in layout["offcuts"]), reverse=True)
    assert sizes == [(1468, 679), (1308, 2050)]
