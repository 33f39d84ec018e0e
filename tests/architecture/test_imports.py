"""The layers stay visible: no import cycle anywhere (in-function imports included), no Qt in app/."""
from __future__ import annotations

import grimp
import pytest


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("app", "ui", include_external_packages=True, cache_dir=None)


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of modules (Tarjan), imports inside functions counted too."""
    modules = sorted(m for m in graph.modules if m.split(".")[0] in ("app", "ui", "main"))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.find_modules_directly_imported_by(node)):
            if target.split(".")[0] not in ("app", "ui", "main") or _is_parent(target, node):
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return found


def _is_parent(package: str, module: str) -> bool:
    return module.startswith(package + ".")


def test_no_import_cycle_between_modules(graph):
    assert _cycles(graph) == []


def test_a_cycle_is_found_when_there_is_one():
    fake = grimp.ImportGraph()
    for name in ("app", "app.a", "app.b"):
        fake.add_module(name)
    fake.add_import(importer="app.a", imported="app.b")
    fake.add_import(importer="app.b", imported="app.a")
    assert _cycles(fake) == [["app.a", "app.b"]]


def test_domain_imports_nothing_of_the_project_outside_itself_and_no_peewee(graph):
    for module in graph.find_descendants("app.domain"):
        for target in graph.find_modules_directly_imported_by(module):
            top = target.split(".")[0]
            assert top not in ("peewee", "playhouse", "ui", "PySide6"), (module, target)
            if top == "app":
                assert target.startswith("app.domain"), (module, target)


def test_app_never_imports_qt(graph):
    assert not graph.find_downstream_modules("PySide6") & graph.find_descendants("app")
