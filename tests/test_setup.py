"""Setting up from a fresh clone, as a new user meets it: the lock is complete and installed as it
stands, `make` names the interpreter it needs, and `pip install` works from a clone and a git URL."""

from __future__ import annotations

import importlib.metadata as md
import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment

from conftest import REPO, sh
from lockfile import gaps, pins

LOCK = (REPO / "requirements.lock").read_text()
LOCKED = pins(LOCK)


def installed_requires(name: str) -> list[str]:
    return md.distribution(name).requires or []


def test_the_lock_pins_every_requirement_of_every_package_it_pins():
    """Installed without resolving, the lock must be closed under requirements (extras, markers)."""
    assert gaps(LOCKED, installed_requires, default_environment()) == []


@pytest.mark.parametrize("python", ["3.11", "3.12", "3.13"])
def test_the_lock_is_complete_for_every_supported_python(python):
    """The lock is universal: evaluated as another Python of the range would, nothing is missing."""
    env = {**default_environment(), "python_version": python, "python_full_version": f"{python}.0"}
    assert gaps(LOCKED, installed_requires, env) == []


def test_a_missing_transitive_pin_is_named():
    without = re.sub(r"^annotated-types==.*?(?=^\S)", "", LOCK, flags=re.M | re.S)
    assert "annotated-types" not in pins(without)
    found = gaps(pins(without), installed_requires, default_environment())
    assert found == ["pydantic requires annotated-types>=0.6.0, which requirements.lock does not pin"]


def test_a_pin_too_old_for_its_dependant_is_named():
    older = LOCK.replace("\nannotated-types==0.8.0 ", "\nannotated-types==0.5.0 ")
    assert older != LOCK
    found = gaps(pins(older), installed_requires, default_environment())
    assert found == ["pydantic requires annotated-types>=0.6.0, but requirements.lock pins annotated-types==0.5.0"]


def test_an_extra_a_package_asks_for_is_followed():
    """justext asks for lxml[html_clean]: the extra's own requirement (lxml-html-clean) must be locked."""
    assert any("lxml[html_clean]" in r.replace(" ", "") for r in installed_requires("justext"))
    without = re.sub(r"^lxml-html-clean==.*?(?=^\S)", "", LOCK, flags=re.M | re.S)
    found = gaps(pins(without), installed_requires, default_environment())
    assert found == [
        'lxml[html_clean] requires lxml_html_clean; extra == "html-clean", which requirements.lock does not pin'
    ]


def test_every_pin_has_hashes_and_the_environment_is_exactly_the_lock():
    env = default_environment()
    assert all(p.hashes for p in LOCKED.values())
    installed = {
        re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower(): d.version
        for d in md.distributions(path=[p for p in sys.path if p.endswith("site-packages")])
    }
    expected = {name: str(p.version) for name, p in LOCKED.items() if p.marker is None or p.marker.evaluate(env)}
    assert installed == expected


def test_the_bootstrap_pins_the_same_uv_as_the_lock():
    boot = pins((REPO / "requirements-bootstrap.txt").read_text())
    assert list(boot) == ["uv"]
    assert boot["uv"] == LOCKED["uv"]


def test_the_build_requirement_is_pinned_exactly_to_the_locked_setuptools():
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["build-system"]["requires"]
    assert requires == [f"setuptools=={LOCKED['setuptools'].version}"]


# --- make, as a new user runs it -------------------------------------------------------------------


def test_make_names_the_python_it_needs(tmp_path):
    """An interpreter that is too old, or missing, stops make before anything is created."""
    for name in ("Makefile", "requirements.lock", "requirements-bootstrap.txt"):
        shutil.copy(REPO / name, tmp_path / name)
    old = tmp_path / "python3.9"
    old.write_text(f"#!{sys.executable}\nimport sys\nsys.version_info = (3, 9, 18, 'final', 0)\nexec(sys.argv[2])\n")
    old.chmod(0o755)
    for python, says in ((old, "is Python 3.9.18"), (tmp_path / "nowhere", "is not found")):
        proc = sh("make", "-s", f"PYTHON={python}", cwd=tmp_path)
        assert proc.returncode != 0
        assert proc.stderr.splitlines()[0] == (
            f"openai-origins needs Python 3.11 or newer, but '{python}' {says}; "
            "install one and run e.g. 'PYTHON=python3.12 make'"
        )
        assert not (tmp_path / ".venv").exists()


@pytest.mark.slow
def test_make_refuses_a_lock_with_a_missing_pin(tmp_path):
    """A real set-up (a new venv, uv from the bootstrap, the lock) fails naming what is missing."""
    clone = tmp_path / "clone"
    sh("git", "clone", "--quiet", str(REPO), str(clone), cwd=tmp_path, check=True)
    lock = clone / "requirements.lock"
    lock.write_text(re.sub(r"^annotated-types==.*?(?=^\S)", "", lock.read_text(), flags=re.M | re.S))
    proc = sh("make", "setup", cwd=clone)
    assert proc.returncode != 0
    assert "The package `pydantic` requires `annotated-types>=0.6.0`, but it's not installed" in proc.stderr
    assert not list((clone / ".venv").glob(".installed-*"))  # no stamp: the next make tries again


# --- pip install, from a clone and from a git URL ----------------------------------------------------


def _constraints(path: Path) -> Path:
    """The lock's versions without hashes: the install test is deterministic whatever the index holds
    (the weekly fresh-setup workflow installs without them, as a user does)."""
    lines = [f"{n}=={p.version}" + (f" ; {p.marker}" if p.marker else "") for n, p in LOCKED.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def pip_cache(tmp_path_factory) -> Path:
    """One download cache for both installs of this module (each still gets a new venv)."""
    return tmp_path_factory.mktemp("pip-cache")


@pytest.mark.slow
@pytest.mark.parametrize("how", ["path", "git"])
def test_pip_install_from_a_fresh_clone(tmp_path, how, built, pip_cache):
    """Clone, new venv with its own pip, `pip install <clone>` (build isolation: setuptools comes from
    the index at the pinned version), then the `origins` command and the loader work."""
    clone = tmp_path / "clone"
    sh("git", "clone", "--quiet", str(REPO), str(clone), cwd=tmp_path, check=True)
    venv = tmp_path / "venv"
    sh(sys.executable, "-m", "venv", str(venv), cwd=tmp_path, check=True)
    target = str(clone) if how == "path" else f"git+file://{clone}"
    env = {
        "PYTHONPATH": "",
        "PIP_CONSTRAINT": str(_constraints(tmp_path / "constraints.txt")),
        "PIP_CACHE_DIR": str(pip_cache),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    py = str(venv / "bin" / "python")
    install = sh(py, "-m", "pip", "install", "--quiet", target, cwd=tmp_path, env_extra=env)
    assert install.returncode == 0, install.stdout + install.stderr
    assert not (clone / "build").exists() or sorted(p.name for p in (clone / "build").iterdir()) == [".gitkeep"]
    help_ = sh(str(venv / "bin" / "origins"), "--help", cwd=tmp_path, env_extra=env, check=True)
    assert "validate" in help_.stdout and "build" in help_.stdout
    code = f"from origins import load; t = load.table('events', build={str(built)!r}); print(t.num_rows)"
    out = sh(py, "-c", code, cwd=tmp_path, env_extra=env, check=True)
    assert int(out.stdout) > 100
    where = sh(py, "-c", "import origins; print(origins.__file__)", cwd=tmp_path, env_extra=env, check=True)
    assert where.stdout.strip().startswith(str(venv)), where.stdout
    package = Path(where.stdout.strip()).parent
    assert (package / "site" / "assets" / "site.css").is_file()  # package data installed with the code


# --- the watch on the package index -----------------------------------------------------------------


def test_a_scheduled_workflow_runs_the_readmes_two_commands_on_a_fresh_runner():
    import yaml

    flow = yaml.safe_load((REPO / ".github" / "workflows" / "fresh-setup.yml").read_text())
    on = flow[True]  # YAML 1.1 reads the key `on` as true
    assert on["schedule"] and "workflow_dispatch" in on
    job = flow["jobs"]["fresh"]
    assert job["strategy"]["matrix"]["python"] == ["3.11", "3.13"]
    runs = [s.get("run", "") for s in job["steps"]]
    assert "make" in runs and "make test" in runs
    assert not any("cache" in s.get("uses", "") or "cache" in s.get("with", {}) for s in job["steps"])
    readme = (REPO / "README.md").read_text()
    assert "make        #" in readme and "make test   #" in readme
