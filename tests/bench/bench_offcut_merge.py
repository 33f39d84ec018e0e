"""Benchmark: the offcuts «Раскроено» offers, merged into the largest guillotine-cuttable pieces
(app/cutting/offcuts.py) against the optimiser's own free rectangles, on the furniture cut sheets of
bench_cutting (furniture_instances.furniture_cases, one ЛДСП board size, 3 stages and unlimited).
Per case: the useful pieces and their area both ways, the largest piece, and the time the merging
takes next to the optimiser's own (the baseline). Run by hand: ``nice python tests/bench/bench_offcut_merge.py``.
Last line: one JSON object.
"""
from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.cutting import DEFAULT_BOARDS, optimise  # noqa: E402
from app.cutting.offcuts import merged_offcuts  # noqa: E402
from tests.bench.furniture_instances import furniture_cases  # noqa: E402

MIN = (300, 100)


def _useful(pieces) -> list:
    return [o for o in pieces if max(o.length, o.width) >= MIN[0] and min(o.length, o.width) >= MIN[1]]


def main() -> None:
    figures: dict = {"min_offcut": list(MIN), "cases": {}}
    totals = {"solver_pieces": 0, "merged_pieces": 0, "solver_m2": 0.0, "merged_m2": 0.0,
              "optimise_cpu_s": 0.0, "merge_cpu_s": 0.0, "merge_wall_s": 0.0}
    for stages in (None, 3, 2):
        board = replace(DEFAULT_BOARDS[0], stages=stages)
        for name, parts in furniture_cases().items():
            cpu = time.process_time()
            result = optimise([board], parts, time_limit=2.0, min_offcut=MIN, clock=time.process_time)
            optimise_cpu = time.process_time() - cpu
            wall, cpu = time.perf_counter(), time.process_time()
            merged = [merged_offcuts(layout, MIN) for layout in result.layouts]
            merge_cpu, merge_wall = time.process_time() - cpu, time.perf_counter() - wall
            own = [_useful(layout.offcuts) for layout in result.layouts]
            case = {
                "boards": len(result.layouts),
                "solver_pieces": sum(map(len, own)), "merged_pieces": sum(map(len, merged)),
                "solver_m2": round(sum(o.length * o.width for p in own for o in p) / 1e6, 3),
                "merged_m2": round(sum(o.length * o.width for p in merged for o in p) / 1e6, 3),
                "solver_largest_m2": round(max((o.length * o.width for p in own for o in p), default=0) / 1e6, 3),
                "merged_largest_m2": round(max((o.length * o.width for p in merged for o in p), default=0) / 1e6, 3),
                "optimise_cpu_s": round(optimise_cpu, 3), "merge_cpu_s": round(merge_cpu, 4),
                "merge_wall_s": round(merge_wall, 4),
            }
            figures["cases"][f"{name} / stages {stages or 'any'}"] = case
            for key in totals:
                totals[key] += case[key]
            print(name, stages, case, file=sys.stderr)
    figures["totals"] = {key: round(value, 4) for key, value in totals.items()}
    figures["merge_to_optimise_cpu_ratio"] = round(totals["merge_cpu_s"] / totals["optimise_cpu_s"], 4)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
