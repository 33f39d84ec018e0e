"""What declining names costs: the import and the first use of pymorphy3 (paid once, at the first task
written to a timeline, never at start-up), then a name per call; baseline: pymorphy3's own parse +
inflect of the same words. JSON on the last line."""
from __future__ import annotations

import json
import resource
import statistics
import time

NAMES = ["Татьяна Смирнова", "Екатерина Лебедева", "Сергей Волков", "Иванова (Румянцева) София Леонидовна",
         "Михаил Кузнецов", "Ольга Петрова"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    before = rss_mb()
    started = time.perf_counter()
    from app.domain import russian

    imported = time.perf_counter() - started
    started = time.perf_counter()
    russian.decline(NAMES[0], russian.GENITIVE)
    first = time.perf_counter() - started
    loaded = rss_mb()
    ours, raw = [], []
    analyzer = russian._analyzer()
    for _ in range(200):
        for name in NAMES:
            started = time.perf_counter()
            russian.decline.__wrapped__(name, russian.GENITIVE)  # not the cache: the work of a new name
            ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            for word in name.replace("(", "").replace(")", "").split():
                analyzer.parse(word)[0].inflect({"gent"})
            raw.append(time.perf_counter() - started)
    ours_ms, raw_ms = statistics.median(ours) * 1000, statistics.median(raw) * 1000
    print(json.dumps({"import_domain_ms": round(imported * 1000, 1), "first_decline_ms": round(first * 1000, 1),
                      "memory_mb": round(loaded - before, 1), "decline_uncached_median_ms": round(ours_ms, 3),
                      "raw_pymorphy_median_ms": round(raw_ms, 3), "ratio": round(ours_ms / raw_ms, 2)}))


if __name__ == "__main__":
    main()
