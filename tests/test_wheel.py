"""A wheel, installed outside the checkout, builds the seeds, lists the queries and validates.

The wheel is built without build isolation (setuptools comes from the test extra) and installed
with --no-deps into a fresh venv; the dependencies are the current environment's, put on the
new venv's path by a .pth file, so the test needs no network. What it checks is ours: that
every file under ontology/ and the HTML assets are in the wheel and found there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow


def _run(args: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    # A copy, so the build leaves no build/ or egg-info in the checkout.
    src = dist / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".venv", ".git", "output", "build", "*.egg-info",
                                                              "__pycache__", ".mypy_cache", ".pytest_cache"))
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", dist, src], dist)
    (found,) = dist.glob("pingcheng_kg-*.whl")
    return found


def test_wheel_holds_every_ontology_file_and_html_asset(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    ontology = {f"kg/ontology/{p.relative_to(ROOT / 'ontology').as_posix()}"
                for p in (ROOT / "ontology").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assets = {f"kg/export/html_assets/{p.name}" for p in (ROOT / "kg" / "export" / "html_assets").iterdir()}
    assert ontology and ontology <= names, sorted(ontology - names)
    assert assets <= names, sorted(assets - names)
    assert [n for n in names if n.startswith("kg/_cut.") and n.endswith(".so")], "kg/_cut.c did not compile"


def test_wheel_install_builds_lists_queries_and_validates(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    bin_dir = env_dir / "bin"
    site = Path(sysconfig.get_path("purelib", vars={"base": str(env_dir), "platbase": str(env_dir)}))
    # The dependencies, from this environment; the wheel's own kg comes first on the path.
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", bin_dir / "python", "install", "--no-deps", "--no-index", "-q", wheel],
         tmp_path)
    work = tmp_path / "work"
    shutil.copytree(SEEDS, work / "pages", ignore=shutil.ignore_patterns("gold"))
    located = _run([bin_dir / "python", "-c", "import kg.lexicon as l; print(l.ontology_dir())"], work).stdout
    assert Path(located.strip()).is_relative_to(env_dir), located
    compiled = _run([bin_dir / "python", "-c", "import kg._cut as c; print(c.__file__)"], work).stdout
    assert Path(compiled.strip()).is_relative_to(env_dir), compiled
    built = _run([bin_dir / "kg", "build", "pages", "-o", "out"], work)
    assert "errors / 错误" in built.stdout
    assert all((work / "out" / f).stat().st_size > 0 for f in ("graph.ttl", "graph.html", "graph.graphml"))
    listed = _run([bin_dir / "kg", "query", "--list"], work).stdout
    assert "timeline" in listed and "agencies-responsible" in listed
    checked = _run([bin_dir / "kg", "validate", "out"], work).stdout
    assert "conforms" in checked
