"""Processes that work on the same deals at once (run by tests via multiprocessing, spawn)."""
from __future__ import annotations

import random
import time
from collections import Counter

from app.domain import pipeline
from app.services import permissions

STAGES = [stage.code for stage in pipeline.STAGES]  # the tests' deals have every gate's fields
WORKER_LOGIN = {"A": "admin", "B": "chief"}
EDITED_FIELD = {"A": "transport_company", "B": "waybill_no"}
STEPS = 300  # actions of each worker
IN_STEP = 10  # the workers wait for each other after every 10 actions: they always overlap


def _open(url: str, login: str):
    """Open the database; the user ``login`` and the stages that user may move into."""
    from app.store.connection import open_database
    from app.store.models import User

    open_database(url, migrate=False)
    actor = User.get(User.login == login)
    return actor, [code for code in STAGES if permissions.allowed(actor, permissions.move_action(code))]


def move_and_edit(url: str, name: str, deal_ids: list[int], together, results) -> None:
    """Move, edit (with the version read) and create deals, ``STEPS`` actions in step with the other
    worker (``together``: a barrier of both); report the successful moves per deal, the last value
    this worker saved per deal, and its new deals."""
    from app.domain.errors import ConflictError
    from app.services import deals
    from app.store.models import Deal

    actor, stages = _open(url, WORKER_LOGIN[name])
    rng = random.Random(name)
    moves: Counter = Counter()
    edits: dict[int, str] = {}
    created: list[int] = []
    conflicts = 0
    field = EDITED_FIELD[name]
    together.wait(60)
    began = time.monotonic()
    for step in range(1, STEPS + 1):
        if step % IN_STEP == 0:
            together.wait(60)
        deal_id = rng.choice(deal_ids)
        roll = rng.random()
        if roll < 0.45:
            result = deals.move_deal(deal_id, rng.choice(stages), actor)
            if result.from_stage != result.to_stage:
                moves[deal_id] += 1
        elif roll < 0.95:
            value = f"{name}-{step}"
            while True:
                version = Deal.get_by_id(deal_id).version
                try:
                    deals.update_deal(deal_id, actor, {field: value}, expected_version=version)
                except ConflictError:
                    conflicts += 1
                    continue
                edits[deal_id] = value
                break
        else:
            may_create = permissions.allowed(actor, permissions.move_action(pipeline.FIRST_STAGE.code))
            creator = actor if may_create else None  # None: a lead from the web site
            created.append(deals.create_deal(creator, name=f"Новая {name}-{step}").deal.id)
    results.put({"name": name, "moves": dict(moves), "edits": edits, "created": created,
                 "conflicts": conflicts, "steps": STEPS, "began": began, "ended": time.monotonic()})


def move_until_killed(url: str, deal_ids: list[int], halfway, done_moves) -> None:
    """Move deals round and round; set ``halfway`` after 150 moves and carry on until killed."""
    from app.services import deals

    actor, stages = _open(url, "chief")
    rng = random.Random(7)
    while True:
        result = deals.move_deal(rng.choice(deal_ids), rng.choice(stages), actor)
        if result.from_stage == result.to_stage:
            continue
        with done_moves.get_lock():
            done_moves.value += 1
            if done_moves.value == 150:
                halfway.set()
