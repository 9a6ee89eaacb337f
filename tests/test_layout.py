"""The package is laid out by role, and the roles lean on each other in one direction only."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "scripts" / "careleaf"
ROLES = ("util", "model", "checks", "build", "outputs", "authoring", "qa", "cli")
# What each lower role may import: the walls that keep the content model and the checks free of the build.
MAY_IMPORT = {"util": set(), "model": {"util"}, "checks": {"util", "model"}}


def careleaf_imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "careleaf":
            yield node.lineno, node.module.split(".") + [alias.name for alias in node.names][:1]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "careleaf":
                    yield node.lineno, alias.name.split(".")


def modules():
    return sorted(path for path in PACKAGE.rglob("*.py") if path.parent != PACKAGE)


def test_every_module_sits_in_a_role_package():
    flat = sorted(path.name for path in PACKAGE.glob("*.py") if path.name not in ("__init__.py", "__main__.py"))
    assert flat == []
    assert sorted(path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name != "__pycache__") == sorted(
        ROLES
    )


def test_lower_roles_import_only_the_roles_beneath_them():
    crossings = []
    for path in modules():
        role = path.relative_to(PACKAGE).parts[0]
        if role not in MAY_IMPORT:
            continue
        for line, parts in careleaf_imports(path):
            target = parts[1] if len(parts) > 1 else None
            if target != role and target not in MAY_IMPORT[role]:
                crossings.append(f"{path.relative_to(PACKAGE)}:{line}: {role} imports {'.'.join(parts[:3])}")
    assert crossings == []


def test_no_module_keeps_build_state_in_globals():
    # Build state lives on the plugin instance: a `global` statement would let one build leak into the next.
    found = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path in modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Global)
    ]
    assert found == []


def test_the_readme_layout_names_every_module_of_each_role():
    readme = (PACKAGE.parents[1] / "README.md").read_text(encoding="utf-8")
    unnamed = {}
    for role in ROLES:
        row = next(line for line in readme.splitlines() if line.startswith(f"| `scripts/careleaf/{role}/` |"))
        modules = sorted(path.name for path in (PACKAGE / role).glob("*.py") if path.name != "__init__.py")
        unnamed[role] = [name for name in modules if f"`{name}`" not in row]
    assert unnamed == {role: [] for role in ROLES}


def test_the_longest_files_the_suite_starts_with_exist():
    from conftest import LONGEST_FILES

    assert [name for name in LONGEST_FILES if not (Path(__file__).parent / name).is_file()] == []
