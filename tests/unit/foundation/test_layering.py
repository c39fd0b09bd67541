"""shared/ is the common library: it never imports a service (services compose it)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            names.update(a.value for a in node.args if isinstance(a, ast.Constant))
    return names


def test_shared_imports_nothing_from_services():
    offenders = {str(p.relative_to(ROOT)): sorted(m for m in imported_modules(p)
                                                  if m == "services" or m.startswith("services."))
                 for p in (ROOT / "shared").rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_checker_sees_an_import_from_services(tmp_path):
    probe = tmp_path / "m.py"
    probe.write_text("def f():\n    from services.intake import worker\n")
    assert "services.intake" in imported_modules(probe)
