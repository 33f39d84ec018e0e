"""The fields a parts file can fill (app/domain/part_import.py), in the order the mapping step asks
for them, with their labels — apart, so the field labels (app/domain/labels.py) need not import the
parts-file reading and what it reads by (the banding types)."""
from __future__ import annotations

FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Название"), ("length", "Длина"), ("width", "Ширина"), ("quantity", "Количество"),
    ("material", "Материал"), ("thickness", "Толщина"), ("may_rotate", "Поворот / текстура"),
    ("edge_l1", "Кромка Д1"), ("edge_l2", "Кромка Д2"), ("edge_w1", "Кромка Ш1"), ("edge_w2", "Кромка Ш2"),
    ("notes", "Примечание"),
)
