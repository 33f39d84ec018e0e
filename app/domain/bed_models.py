"""The shop's bed models (docs/process.md) and recognising one in a deal's products or name."""
from __future__ import annotations

BED_MODELS: tuple[str, ...] = (
    "Избушка", "Ярус", "Ярус с комодом", "Замок", "Замок с комодом", "Замок с лестницей", "Остров",
    "МИА", "Маяк", "Чердак", "Малиночка",
)


def detect_model(*texts: str) -> str:
    """The longest known model named in ``texts`` («Серегина Д. Ярус с комодом» → «Ярус с комодом»),
    or "" when none is."""
    for text in texts:
        lowered = (text or "").lower()
        found = [model for model in BED_MODELS if model.lower() in lowered]
        if found:
            return max(found, key=len)
    return ""
