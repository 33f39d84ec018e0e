"""Bad files for ``python -m app.cutting``: each gets one clear Russian line and exit code 2, never a
traceback or a hang; a BOM and "rotate": "false" are read as a person means them."""
import json

import pytest

from app.cutting import cli

BOARD = {"material": "ЛДСП 16", "length": 2800, "width": 2070, "trim": 10, "kerf": 4}
PART = {"id": "1", "material": "ЛДСП 16", "length": 1900, "width": 800, "qty": 2}


def _run(tmp_path, capsys, raw: bytes):
    path = tmp_path / "in.json"
    path.write_bytes(raw)
    code = cli.main([str(path)])
    return code, capsys.readouterr()


def _doc(**changes) -> bytes:
    return json.dumps({"boards": [BOARD], "parts": [{**PART, **changes}], "time_limit": 0.2},
                      ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize("raw, message", [
    ("{\"parts\": [{\"id\": \"Боковина\"}]}".encode("cp1251"), "не в кодировке UTF-8"),
    (b'{"boards": [], "parts": [{"id": 1, "material": "x", "length": NaN, "width": 1}]}', "не число"),
    (b'{"boards": [], "parts": [{"id": 1, "material": "x", "length": Infinity, "width": 1}]}', "не число"),
    (b'{"boards": [], "parts": [{"id": 1, "material": "x", "length": 1e400, "width": 1}]}', "целое число"),
    (b'{"parts": [], "time_limit": 1e400}', "time_limit"),
    (b"[" * 100_000 + b"]" * 100_000, "вложенность"),
    (_doc(qty=3_000_000_000), "больше допустимого"),
    (_doc(length=10**9), "больше допустимого"),
    (_doc(rotate="может быть"), "true или false"),
])
def test_bad_input_is_one_clear_line_and_exit_code_2(tmp_path, capsys, raw, message):
    code, printed = _run(tmp_path, capsys, raw)
    assert code == 2 and message in printed.err and "Traceback" not in printed.err and printed.out == ""


def test_too_many_pieces_in_one_input_are_refused(tmp_path, capsys):
    parts = [{**PART, "id": str(n), "qty": 10_000} for n in range(11)]
    code, printed = _run(tmp_path, capsys, json.dumps({"boards": [BOARD], "parts": parts}).encode())
    assert code == 2 and "Слишком много деталей" in printed.err


def test_a_bom_is_fine_and_rotate_false_as_text_keeps_the_grain(tmp_path, capsys):
    long_across = {**PART, "length": 2000, "width": 300, "qty": 1, "rotate": "false"}
    raw = "\ufeff".encode("utf-8") + json.dumps({"boards": [BOARD], "parts": [long_across], "time_limit": 0.2}).encode()
    code, printed = _run(tmp_path, capsys, raw)
    assert code == 0, printed.err
    (placement,) = json.loads(printed.out)["layouts"][0]["placements"]
    assert placement["rotated"] is False
    _, parts, _ = cli.parse_input({"boards": [BOARD], "parts": [long_across, {**long_across, "rotate": "да"}]})
    assert [part.rotate for part in parts] == [False, True]  # not bool("false"), which is True
