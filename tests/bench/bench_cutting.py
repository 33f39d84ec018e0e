"""Benchmark of the cut-layout optimiser (run by hand, not collected by pytest).

    python tests/bench/bench_cutting.py [--instances PATH] [--limit N] [--no-rectpack]
    python tests/bench/bench_cutting.py --furniture [--scale 0.2] [--time-limit 2]

On the 500 standard 2D bin packing instances (Berkey–Wang classes 1–6, Martello–Vigo 7–10) it
runs the optimiser in its default 3-stage mode, first cuts along x (the instance's width, i.e.
horizontal first-stage cuts as in 3NHO/3NHR), without and with rotation, compares with the best
known 3-stage results and with rectpack (best of 40 guillotine configurations per instance), times
~100- and ~500-part instances and solves furniture cut sheets. Progress goes to stderr; the last
line on stdout is one JSON object with the totals.

With --furniture it runs the generated furniture sets (furniture_instances.py) instead, without
and with rotation, against rectpack at its best: per instance the fewest boards of its 18
guillotine algorithms × 6 sort orders (bin = the trimmed board, parts and bin inflated by the
kerf, so both sides cut the same); rectpack's results are cached in --rectpack-cache.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.cutting import DEFAULT_BOARDS, Board, Part, optimise  # noqa: E402
from tests.bench.furniture_instances import furniture_cases, furniture_sets  # noqa: E402

DEFAULT_INSTANCES = ROOT.parent / "shared/bench/2bp-standard.json"
SECONDS_PER_PART = 0.009  # time limit per instance: 0.9 s for 100 parts, less for fewer
LARGE_TIME_LIMIT = 4.0  # for the 500-part instances


CLOCK = time.monotonic  # the optimiser's budget: wall-clock time, or CPU time with --cpu-clock


def solve(instance: dict, rotate: bool, time_limit: float) -> tuple[int, int, float, float]:
    """Boards used, lower bound, wall-clock and CPU seconds for one instance."""
    width, height = instance["bin"]
    board = Board("bench", width, height, trim=0, kerf=0)
    parts = [Part(str(n), "bench", w, h, qty=c, rotate=rotate)
             for n, (w, h, c) in enumerate(instance["items"])]
    start, cpu = time.perf_counter(), time.thread_time()
    result = optimise([board], parts, time_limit=time_limit, max_stages=3, clock=CLOCK)
    return result.boards_used, result.lower_bound, time.perf_counter() - start, time.thread_time() - cpu


def rectpack_configs() -> list[tuple]:
    """40 guillotine configurations: 18 split rules × 2 sort orders with bin first fit, and 4
    rules with bin best fit."""
    import rectpack
    from rectpack import guillotine as g

    names = [f"Guillotine{fit}{split}" for fit in ("Bssf", "Blsf", "Baf")
             for split in ("Sas", "Las", "Slas", "Llas", "Maxas", "Minas")]
    configs = [(getattr(g, name), sort, rectpack.PackingBin.BFF)
               for name in names for sort in (rectpack.SORT_AREA, rectpack.SORT_LSIDE)]
    configs += [(getattr(g, name), rectpack.SORT_AREA, rectpack.PackingBin.BBF)
                for name in ("GuillotineBssfSas", "GuillotineBafSas", "GuillotineBlsfSas",
                             "GuillotineBssfMaxas")]
    return configs


def rectpack_bins(instance: dict, rotate: bool, config: tuple) -> int:
    """Bins rectpack uses for one instance with one configuration."""
    import rectpack

    algo, sort, bin_algo = config
    packer = rectpack.newPacker(mode=rectpack.PackingMode.Offline, bin_algo=bin_algo,
                                pack_algo=algo, sort_algo=sort, rotation=rotate)
    count = 0
    for w, h, c in instance["items"]:
        for _ in range(c):
            packer.add_rect(w, h)
            count += 1
    packer.add_bin(*instance["bin"], count=count)
    packer.pack()
    assert len(packer.rect_list()) == count
    return len(packer)


def merged(instances: list[dict]) -> dict:
    """One instance holding the items of several with the same bin."""
    return {"bin": instances[0]["bin"], "items": [it for inst in instances for it in inst["items"]]}


def run_furniture() -> list[dict]:
    """Boards, bound and utilisation for each furniture cut sheet (default time limit)."""
    board = DEFAULT_BOARDS[0]
    out = []
    for name, parts in furniture_cases().items():
        start = time.perf_counter()
        result = optimise([board], parts, clock=CLOCK)
        seconds = time.perf_counter() - start
        area = sum(p.length * p.width * p.qty for p in parts)
        row = {"case": name, "parts": sum(p.qty for p in parts), "boards_used": result.boards_used,
               "lower_bound": result.lower_bound,
               "utilisation": round(area / (result.boards_used * board.length * board.width), 3),
               "seconds": round(seconds, 2)}
        print(f"furniture {name}: {row}", file=sys.stderr)
        out.append(row)
    return out


def rectpack_all_guillotine() -> list[tuple]:
    """All 18 guillotine algorithms × 6 sort orders of rectpack, bin first fit."""
    import rectpack
    from rectpack import guillotine as g

    names = [f"Guillotine{fit}{split}" for fit in ("Bssf", "Blsf", "Baf")
             for split in ("Sas", "Las", "Slas", "Llas", "Maxas", "Minas")]
    sorts = (rectpack.SORT_AREA, rectpack.SORT_PERI, rectpack.SORT_DIFF, rectpack.SORT_SSIDE,
             rectpack.SORT_LSIDE, rectpack.SORT_RATIO)
    return [(getattr(g, name), sort, rectpack.PackingBin.BFF) for name in names for sort in sorts]


def kerf_instance(inst: dict) -> dict:
    """A furniture instance as a kerf-free one: parts and the trimmed board grown by the kerf."""
    length, width, trim, kerf = inst["board"]
    return {"bin": [length - 2 * trim + kerf, width - 2 * trim + kerf],
            "items": [[a + kerf, b + kerf, q] for a, b, q in inst["items"]]}


def rectpack_best(inst: dict, rotate: bool, cache: dict) -> int:
    """rectpack's fewest boards over all its guillotine configurations (cached by content)."""
    key = json.dumps([inst["board"], inst["items"], rotate])
    if key not in cache:
        plain = kerf_instance(inst)
        cache[key] = min(rectpack_bins(plain, rotate, c) for c in rectpack_all_guillotine())
    return cache[key]


def solve_furniture(inst: dict, rotate: bool, time_limit: float) -> tuple[int, int, float, float]:
    """Our boards, lower bound, wall-clock and CPU seconds for one furniture instance."""
    length, width, trim, kerf = inst["board"]
    board = Board("ЛДСП 16", length, width, trim, kerf)
    parts = [Part(str(n), board.material, a, b, qty=q, rotate=rotate)
             for n, (a, b, q) in enumerate(inst["items"])]
    start, cpu = time.perf_counter(), time.thread_time()
    result = optimise([board], parts, time_limit=time_limit, clock=CLOCK)
    return result.boards_used, result.lower_bound, time.perf_counter() - start, time.thread_time() - cpu


def run_distinct(count: int, time_limit: float) -> dict:
    """The time limit on a large input: `count` distinct random parts on one board size."""
    import random

    rng = random.Random(19)
    board = DEFAULT_BOARDS[0]
    parts = [Part(str(n), board.material, rng.randint(50, 1200), rng.randint(50, 800))
             for n in range(count)]
    start, cpu = time.perf_counter(), time.thread_time()
    result = optimise([board], parts, time_limit=time_limit, clock=CLOCK)
    row = {"parts": count, "time_limit": time_limit, "boards_used": result.boards_used,
           "lower_bound": result.lower_bound, "timed_out": result.timed_out,
           "seconds": round(time.perf_counter() - start, 2), "cpu_seconds": round(time.thread_time() - cpu, 2)}
    print(f"{count} distinct parts: {row}", file=sys.stderr)
    return row


def run_furniture_sets(args: argparse.Namespace) -> dict:
    """Totals per furniture set and rotation mode: ours, rectpack's best, the bound, the ratio."""
    cache_path: Path = args.rectpack_cache
    cache = json.loads(cache_path.read_text()) if cache_path.exists() else {}
    out: dict = {}
    for set_name, instances in furniture_sets(args.scale).items():
        for rotate in (False, True):
            row = {"instances": len(instances), "ours": 0, "rectpack_best": 0, "lower_bound": 0,
                   "ours_better": 0, "ours_worse": 0, "max_seconds": 0.0, "max_cpu_seconds": 0.0,
                   "seconds": 0.0}
            for inst in instances:
                ours, bound, seconds, cpu = solve_furniture(inst, rotate, args.time_limit)
                rp = rectpack_best(inst, rotate, cache)
                row["ours"] += ours
                row["rectpack_best"] += rp
                row["lower_bound"] += bound
                row["ours_better"] += ours < rp
                row["ours_worse"] += ours > rp
                row["max_seconds"] = round(max(row["max_seconds"], seconds), 2)
                row["max_cpu_seconds"] = round(max(row["max_cpu_seconds"], cpu), 2)
                row["seconds"] = round(row["seconds"] + seconds, 1)
                print(f"{inst['name']} rotate={rotate}: ours {ours} rectpack {rp} bound {bound} "
                      f"{seconds:.2f} s ({cpu:.2f} s CPU)", file=sys.stderr)
            cache_path.write_text(json.dumps(cache))
            row["saving_vs_rectpack"] = round(1 - row["ours"] / row["rectpack_best"], 4)
            mode = "rot" if rotate else "norot"
            out[f"{set_name}_{mode}"] = row
            print(f"{set_name} {mode}: {row}", file=sys.stderr)
    ours = sum(r["ours"] for r in out.values())
    rp = sum(r["rectpack_best"] for r in out.values())
    return {"sets": out, "ours": ours, "rectpack_best": rp, "ratio": round(ours / rp, 4),
            "saving_vs_rectpack": round(1 - ours / rp, 4),
            "time_limit": args.time_limit, "clock": "cpu" if args.cpu_clock else "wall",
            "distinct_10000": run_distinct(10_000, args.time_limit)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--furniture", action="store_true", help="the furniture sets against rectpack")
    parser.add_argument("--scale", type=float, default=1.0, help="share of the furniture instances")
    parser.add_argument("--time-limit", type=float, default=2.0, help="per furniture instance")
    parser.add_argument("--rectpack-cache", type=Path,
                        default=Path("/tmp/bench_cutting_rectpack_furniture.json"))
    parser.add_argument("--instances", type=Path, default=DEFAULT_INSTANCES)
    parser.add_argument("--limit", type=int, default=0, help="only the first N instances")
    parser.add_argument("--every", type=int, default=1, help="only every N-th instance")
    parser.add_argument("--no-rectpack", action="store_true")
    parser.add_argument("--max-time", type=float, default=0.9,
                        help="cap of the per-instance time limit (0.009 s a part)")
    parser.add_argument("--cpu-clock", action="store_true",
                        help="time limits in CPU seconds of the optimising thread (a busy shared machine)")
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.thread_time if args.cpu_clock else time.monotonic
    if args.furniture:
        print(json.dumps(run_furniture_sets(args), ensure_ascii=False))
        return
    cpu_started = time.process_time()
    started = time.perf_counter()
    instances = json.loads(args.instances.read_text(encoding="utf-8"))["instances"]
    names = sorted(instances)[::args.every]
    if args.limit:
        names = names[:args.limit]
    configs = [] if args.no_rectpack else rectpack_configs()
    totals: dict[str, int] = defaultdict(int)
    per_class: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    worst_excess = -10 ** 9
    far_off: list[str] = []  # instances more than one board above the best known
    max_seconds_100 = max_cpu_100 = 0.0
    for k, name in enumerate(names, start=1):
        inst = instances[name]
        n = sum(c for _, _, c in inst["items"])
        limit = min(args.max_time, SECONDS_PER_PART * n)
        for mode, rotate, known in (("norot", False, "3nho"), ("rot", True, "3nhr")):
            bins, bound, seconds, cpu = solve(inst, rotate, limit)
            best = inst["best_known"][known]
            totals[f"total_{mode}"] += bins
            totals[f"best_known_{mode}"] += best
            totals[f"lower_bound_{mode}"] += bound
            totals[f"at_bound_{mode}"] += bins == bound
            totals[f"over_best_{mode}"] += bins > best
            worst_excess = max(worst_excess, bins - best)
            if bins - best > 1:
                far_off.append(f"{name} {mode}: {bins} (best known {best})")
            if n >= 100:
                max_seconds_100 = max(max_seconds_100, seconds)
                max_cpu_100 = max(max_cpu_100, cpu)
            cls = f"{name.split('Class_')[-1][:2]}-{mode}"
            per_class[cls][0] += bins
            per_class[cls][1] += best
            per_class[cls][2] += bound
            if configs:
                results = [rectpack_bins(inst, rotate, c) for c in configs]
                totals[f"rectpack_{mode}"] += min(results)
                totals[f"rectpack_single_{mode}"] += results[0]
                per_class[cls][3] += min(results)
        if k % 25 == 0 or k == len(names):
            print(f"{k}/{len(names)} {dict(totals)} {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
    for cls, (bins, best, bound, rp) in sorted(per_class.items()):
        print(f"class {cls}: ours {bins} best known {best} bound {bound} rectpack {rp}",
              file=sys.stderr)
    by_class: dict[str, list[dict]] = defaultdict(list)
    for name in sorted(instances):
        if sum(c for _, _, c in instances[name]["items"]) == 100:
            by_class[name.split("Class_")[-1][:2]].append(instances[name])
    max_seconds_500 = max_cpu_500 = 0.0
    for cls in ("01", "05", "07", "09", "10"):
        big = merged(by_class[cls][:5])
        for rotate in (False, True):
            bins, bound, seconds, cpu = solve(big, rotate, LARGE_TIME_LIMIT)
            print(f"500 parts class {cls} rotate={rotate}: {bins} boards, bound {bound}, "
                  f"{seconds:.2f} s ({cpu:.2f} s CPU)", file=sys.stderr)
            max_seconds_500 = max(max_seconds_500, seconds)
            max_cpu_500 = max(max_cpu_500, cpu)
    furniture = run_furniture()
    summary = {
        **totals, "worst_excess": worst_excess, "far_off": far_off, "instances": len(names),
        "max_seconds_100": round(max_seconds_100, 2), "max_seconds_500": round(max_seconds_500, 2),
        "max_cpu_seconds_100": round(max_cpu_100, 2), "max_cpu_seconds_500": round(max_cpu_500, 2),
        "clock": "cpu" if args.cpu_clock else "wall", "furniture": furniture,
        "seconds": round(time.perf_counter() - started, 1),
        "cpu_seconds": round(time.process_time() - cpu_started, 1),
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
