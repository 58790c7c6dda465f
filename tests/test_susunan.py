"""The layout shows the design (docs/arsitektur.md): each app imports only the apps below
it, so there is no import cycle; imports sit at the top of modules (except where Django
wants them late: AppConfig.ready and its signal receivers)."""

import ast
from pathlib import Path

import pytest

AKAR = Path(__file__).resolve().parent.parent
# bottom to top; the project package sits above every app
LAPISAN = ["umum", "organisasi", "rencana_aksi", "bukti_dukung", "progres", "lke", "laporan",
           "evaluasi", "zona_integritas"]


def _modul(app):
    for path in sorted((AKAR / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _impor(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield node, [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            yield node, [node.module or ""]


def graf():
    """{app: {apps it imports}}."""
    out = {app: set() for app in LAPISAN}
    for app in LAPISAN:
        for _path, tree in _modul(app):
            for _node, names in _impor(tree):
                for name in names:
                    top = name.split(".")[0]
                    if top in LAPISAN and top != app:
                        out[app].add(top)
    return out


@pytest.mark.parametrize("app", LAPISAN)
def test_app_hanya_mengimpor_yang_di_bawahnya(app):
    di_bawah = set(LAPISAN[:LAPISAN.index(app)])
    assert graf()[app] <= di_bawah, f"{app} imports {graf()[app] - di_bawah}"


def test_tanpa_siklus():
    g = graf()
    seen, stack = set(), []

    def visit(a):
        assert a not in stack, " -> ".join([*stack, a])
        if a in seen:
            return
        stack.append(a)
        for b in g[a]:
            visit(b)
        stack.pop()
        seen.add(a)

    for a in g:
        visit(a)


def test_impor_di_atas_modul():
    late = []
    for app in LAPISAN:
        for path, tree in _modul(app):
            for fn in ast.walk(tree):
                if not isinstance(fn, ast.FunctionDef):
                    continue
                if path.name == "apps.py":  # Django's ready() and its receivers import late
                    continue
                for node in ast.walk(fn):
                    if isinstance(node, (ast.Import, ast.ImportFrom)):
                        late.append(f"{path.relative_to(AKAR)}:{node.lineno}")
    assert late == []
