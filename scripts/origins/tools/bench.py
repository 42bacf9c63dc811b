"""Benchmark: validate, build and the pre-commit hook against frictionless and a pyarrow lower bound.

Every measurement runs in a fresh process (wall time, and peak memory from wait4's rusage),
the tools interleaved within each repetition so that machine noise hits all of them alike.
Results are printed, never asserted: machines are noisy.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from origins.tools.synth import generate

LOWER_BOUND = r"""
import json, sys
from pathlib import Path
import pyarrow.csv as pacsv, pyarrow.parquet as pq
sys.path.insert(0, sys.argv[3])
from origins.outputs.tables import _csv_types
from origins.read.package import Table
root, out = Path(sys.argv[1]), Path(sys.argv[2])
d = json.loads((root / "datapackage.json").read_text())
for r in d["resources"]:
    t = Table(r["name"], r["path"], json.loads((root / r["schema"]).read_text()))
    opts = pacsv.ConvertOptions(column_types=_csv_types(t), null_values=[""], strings_can_be_null=True,
                                true_values=["true"], false_values=["false"])
    pq.write_table(pacsv.read_csv(root / r["path"], convert_options=opts), out / (r["name"] + ".parquet"), compression="zstd")
"""


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB (largest process of the tree) and exit code of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def rows_in(root: Path) -> int:
    d = json.loads((root / "datapackage.json").read_text())
    return sum(sum(1 for _ in (root / r["path"]).open(encoding="utf-8")) - 1 for r in d["resources"])


def commands(root: Path, repo: Path, snapshots: Path, scratch: Path, hook: bool) -> dict[str, list[str]]:
    """The measured commands. On the committed data (`hook`) build is `make build` (validate, build,
    site and chart); on synthetic data it is validate and build (`--no-site`: a page listing a
    million events is not a site anyone reads), and the site, written from that build, is timed
    on its own."""
    py, venv_bin = sys.executable, Path(sys.executable).parent
    ours = [py, "-m", "origins", "--root", str(root)]
    cmds = {
        "validate": ours + ["validate", "--no-cache", "--snapshots", str(snapshots)],
        "build": ours
        + ["build", "--out", str(scratch / "build"), "--snapshots", str(snapshots)]
        + ([] if hook else ["--no-site"]),
        "site": ours + ["site", "--build", str(scratch / "build")],
        "frictionless": [str(venv_bin / "frictionless"), "validate", str(root / "datapackage.json")],
        "lower-bound": [py, "-c", LOWER_BOUND, str(root), str(scratch), str(repo / "scripts")],
    }
    if hook:  # the hook answers from the cache when nothing changed; a changed CSV is a cache miss
        cmds["pre-commit hook"] = [str(venv_bin / "pre-commit"), "run", "validate", "--all-files"]
        cmds["pre-commit hook, changed"] = cmds["pre-commit hook"]
    return cmds


def without_results(scratch: Path) -> str:
    """A copy of the user's cache folder without the result cache's validations (origins.core.cache), as a new
    XDG_CACHE_HOME."""
    from origins.core import cache

    home = Path(tempfile.mkdtemp(dir=scratch))
    mine = cache.folder().parent
    if mine.is_dir():
        shutil.copytree(mine, home / mine.name, ignore=lambda d, names: ["validate"] if Path(d) == mine else [])
    return str(home)


def measure(root: Path, repo: Path, snapshots: Path, repeat: int, hook: bool) -> dict[str, dict]:
    scratch = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        cmds = commands(root, repo, snapshots, scratch, hook)
        env = {"PYTHONPATH": str(repo / "scripts"), "ORIGINS_SNAPSHOT_DIR": str(snapshots)}
        samples: dict[str, list[tuple[float, float, int]]] = {k: [] for k in cmds}
        if "pre-commit hook" in cmds:  # fill the cache once, so 'unchanged' measures a cache hit
            run(cmds["pre-commit hook"], repo, env)
        for _ in range(repeat):
            for name, cmd in cmds.items():
                # 'changed': a cache folder without validate results, so the hook validates as after an
                # edit to one CSV (frictionless's remembered verdicts on the unchanged schemas stay)
                cold = {"XDG_CACHE_HOME": without_results(scratch)} if name.endswith("changed") else {}
                samples[name].append(run(cmd, repo if name.startswith("pre-commit") else root, env | cold))
        return {
            name: {
                "seconds": statistics.median(s[0] for s in got),
                "peak_mb": max(s[1] for s in got),
                "exit": max(s[2] for s in got),
            }
            for name, got in samples.items()
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def validate_report(root: Path, snapshots: Path) -> dict:
    """The JSON report of one validate run."""
    cmd = [
        sys.executable,
        "-m",
        "origins",
        "--root",
        str(root),
        "validate",
        "--format",
        "json",
        "--snapshots",
        str(snapshots),
    ]
    return json.loads(subprocess.run(cmd, capture_output=True, text=True).stdout)


def stage_timings(root: Path, snapshots: Path) -> dict[str, float]:
    """Seconds of each validate step (load, checks, schema) in one run, from its JSON report."""
    return validate_report(root, snapshots)["summary"]["timings"]


def defects_found(root: Path, repo: Path, events: int, per_kind: int) -> tuple[int, int, int]:
    """(found, expected, unexpected) for a package with injected defects."""
    expected = set(generate(root, repo, events, seed=7, defects=per_kind))
    got = {(f["path"], f["line"], f["code"]) for f in validate_report(root, root / "snapshots")["findings"]}
    return len(expected & got), len(expected), len(got - expected)


def table(results: list[dict]) -> str:
    head = (
        "| data | rows | validate s | build s | site s | hook s (unchanged / changed) | frictionless s | "
        "lower bound s | validate/fr | build/fr | build/lower | load / quotes / checks / schema s | checks share | "
        "peak MB validate / build / site | rows/s (build) |"
    )
    lines = [head, "|" + "---|" * 15]
    for r in results:
        m, t = r["m"], r["timings"]
        hook = (
            f"{m['pre-commit hook']['seconds']:.2f} / {m['pre-commit hook, changed']['seconds']:.2f}"
            if "pre-commit hook" in m
            else "="
        )
        lines.append(
            f"| {r['label']} | {r['rows']:,} | {m['validate']['seconds']:.2f} | {m['build']['seconds']:.2f} | "
            f"{m['site']['seconds']:.2f} | {hook} | "
            f"{m['frictionless']['seconds']:.2f} | {m['lower-bound']['seconds']:.2f} | "
            f"{m['validate']['seconds'] / m['frictionless']['seconds']:.2f} | "
            f"{m['build']['seconds'] / m['frictionless']['seconds']:.2f} | "
            f"{m['build']['seconds'] / m['lower-bound']['seconds']:.1f} | "
            f"{t['load']:.2f} / {t.get('quotes', 0):.2f} / {t['checks']:.2f} / {t['schema']:.2f} | "
            f"{t['checks'] / m['build']['seconds']:.0%} | "
            f"{m['validate']['peak_mb']:.0f} / {m['build']['peak_mb']:.0f} / {m['site']['peak_mb']:.0f} | "
            f"{r['rows'] / m['build']['seconds']:,.0f} |"
        )
    return "\n".join(lines)


def exponents(results: list[dict]) -> list[str]:
    out = []
    synthetic = [r for r in results if r["label"] != "committed"]
    for a, b in zip(synthetic, synthetic[1:], strict=False):
        for stage in ("validate", "build"):
            ta, tb = a["m"][stage]["seconds"], b["m"][stage]["seconds"]
            k = math.log(tb / ta) / math.log(b["rows"] / a["rows"])
            out.append(f"scaling exponent of {stage} from {a['rows']:,} to {b['rows']:,} rows: {k:.2f}")
    return out


def import_costs(repo: Path, args: list[str], top: int = 5) -> tuple[float, list[tuple[str, float]]]:
    """Seconds all imports of one `python -m origins ARGS` run take (`python -X importtime`), and the
    `top` packages by the time their own modules take to import (dependencies counted to theirs)."""
    env = {**os.environ, "PYTHONPATH": str(repo / "scripts")}
    cmd = [sys.executable, "-X", "importtime", "-m", "origins", "--root", str(repo), *args]
    err = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=repo).stderr
    total, own = 0, {}
    for line in err.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        name = parts[2].strip()
        if parts[2].startswith(" ") and not parts[2].startswith("  "):  # a top-level import of the run
            total += int(parts[1])
        own[name.split(".")[0]] = own.get(name.split(".")[0], 0) + int(parts[0])
    ranked = sorted(own.items(), key=lambda kv: -kv[1])[:top]
    return total / 1e6, [(name, us / 1e6) for name, us in ranked]


def failure(name: str, code: int) -> bool:
    """Whether a measured command failed: 1 is validate's 'found errors', anything else a crash or a
    kill (out of memory); the hook runs on the committed data, which validates, so for it 1 means
    it could not run (a checkout without the .venv its entry names, say) and answered at once."""
    return code != 0 if name.startswith("pre-commit") else code not in (0, 1)


def main(repo: Path, sizes: list[int], repeat: int, defects: int, seeds_dir: Path) -> int:
    results = []
    m = measure(repo, repo, seeds_dir, repeat, hook=True)
    results.append({"label": "committed", "rows": rows_in(repo), "m": m, "timings": stage_timings(repo, seeds_dir)})
    print(f"committed data: done ({repeat} runs each)", flush=True)
    for n in sizes:
        root = Path(tempfile.mkdtemp(prefix=f"synth-{n}-"))
        try:
            generate(root, repo, n, seed=1)
            snaps = root / "snapshots"
            results.append(
                {
                    "label": f"{n:,} events",
                    "rows": rows_in(root),
                    "m": measure(root, repo, snaps, repeat, False),
                    "timings": stage_timings(root, snaps),
                }
            )
            print(f"{n:,} events: done", flush=True)
            if defects:
                found, expected, extra = defects_found(root / "defects", repo, n, defects)
                print(f"{n:,} events with {defects} defects of each kind: found {found}/{expected}, unexpected {extra}")
        finally:
            shutil.rmtree(root, ignore_errors=True)
    print()
    print(table(results))
    print()
    for line in exponents(results):
        print(line)
    failed = [
        f"{r['label']}: {name} (exit {v['exit']})"
        for r in results
        for name, v in r["m"].items()
        if failure(name, v["exit"])
    ]
    if failed:
        print("\nfailed, so their figures measure no real run: " + "; ".join(failed))
    with tempfile.TemporaryDirectory() as out:
        for args in (["validate", "--no-cache"], ["build", "--out", out]):
            total, top = import_costs(repo, args)
            shown = ", ".join(f"{name} {s:.2f} s" for name, s in top)
            print(f"imports of `{args[0]}` on the committed data: {total:.2f} s in all; the five largest: {shown}")
    print("\nMedians of", repeat, "interleaved runs; peak MB is the largest process of the command's tree.")
    print(
        "Committed data: build is `make build` (validate, build, site, chart). Synthetic data: build is "
        "validate and build (--no-site); site is the site alone, written from that build. load / quotes / "
        "checks / schema are the steps of one validate run; checks share = checks / build."
    )
    print(
        "'hook' is `pre-commit run validate --all-files` (committed data only): unchanged answers from the "
        "content-hash cache; changed runs with a cache holding no validate result, as after an edit to one CSV "
        "(frictionless's remembered verdicts on the unchanged schemas stay)."
    )
    return 0
