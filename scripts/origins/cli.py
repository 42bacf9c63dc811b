"""Command line: a thin layer over the library (python -m origins COMMAND)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from origins.core.findings import render_github, render_json, render_text


def cmd_validate(args) -> int:
    from origins.pipeline import check

    start = time.perf_counter()
    actions = os.environ.get("GITHUB_ACTIONS") == "true"
    summary = os.environ.get("GITHUB_STEP_SUMMARY") if actions else None
    checked = check(args.root, args.snapshots, args.strict, args.engine, args.cache, Path(summary) if summary else None)
    if args.format == "json":
        print(render_json(checked.findings, checked.stats))
    else:
        for f in checked.findings:
            print(render_text(f))
        for line in checked.summary:
            print(line)
        note = " (nothing changed since the last run: result from the cache)" if checked.from_cache else ""
        print(f"validated in {time.perf_counter() - start:.2f} s{note}")
    if actions:
        for f in checked.findings:
            print(render_github(f))
    return 1 if checked.errors else 0


def build_report(outcome) -> tuple[int, list[str]]:
    """Exit code and lines for a pipeline run (origins.pipeline.Outcome)."""
    result = outcome.result
    lines = [render_text(f) for f in result.findings]
    if not outcome.written:
        return 1, lines + [f"build stopped: {result.errors} error(s); nothing was written to {outcome.out}"]
    n = len(list(outcome.out.glob("*.parquet")))
    lines += result.summary() + [
        f"wrote {n} Parquet files, CSV and JSON Lines copies and datapackage.json to {outcome.out}"
    ]
    if outcome.pages:
        lines.append(f"wrote {len(outcome.pages)} pages to {outcome.out / 'site'}")
    return 0, lines


def cmd_build(args) -> int:
    from origins.pipeline import build

    start = time.perf_counter()
    outcome = build(Path(args.root), Path(args.out), args.snapshots, engine=args.engine, site=args.site)
    code, lines = build_report(outcome)
    for line in lines:
        print(line)
    if code == 0:
        print(f"built in {time.perf_counter() - start:.2f} s")
    return code


def cmd_fmt(args) -> int:
    from origins.read.canonical import format_dataset
    from origins.read.package import LoadError, load

    try:
        ds = load(args.root)
    except LoadError as exc:
        print(render_text(exc.finding))
        return 1
    if args.check:
        from origins.checks import Context, run_checks

        findings = run_checks(ds, Context(today=None), only={"FMT001"}).findings
        for f in findings:
            print(render_text(f))
        return 1 if findings else 0
    for line in format_dataset(ds):
        print(line)
    return 0


def cmd_diff(args) -> int:
    import json

    from origins.core.versions import released
    from origins.read.package import load
    from origins.release.manifest import changes, diff_markdown, manifest

    root = Path(args.root)

    def read(path):
        return json.loads(Path(path).read_text(encoding="utf-8"))

    history = released(root)
    old = read(args.base) if args.base else (history[-1] if history else None)
    if old is None:
        print("no release manifest in releases/ to compare with; give --from")
        return 1
    new = read(args.to) if args.to else manifest(load(root))
    c = changes(root, old, new)
    label = new["version"] if args.to else f"{new['version']} (working data)"
    if args.format == "json":
        out = {"from": old["version"], "to": new["version"], "level": c["level"]}
        print(json.dumps(out | {"tables": c["tables"], "schemas": c["schemas"]}, indent=2, ensure_ascii=False))
    else:
        print(diff_markdown(c["tables"], old["version"], label, c["schemas"]), end="")
        if c["tables"] or c["schemas"]:
            print(f"\nThese changes need a {c['level']} version (docs/releases.md).")
    return 0


def cmd_release(args) -> int:
    from origins.pipeline import release
    from origins.release.cut import Refused

    try:
        lines = release(Path(args.root), args.snapshots)
    except Refused as exc:
        for f in exc.findings:
            print(render_text(f))
        print(f"release refused: {exc}")
        return 1
    for line in lines:
        print(line)
    return 0


def cmd_coverage(args) -> int:
    from origins.checks.validate import validate
    from origins.tools.coverage import coverage, coverage_markdown

    result = validate(args.root, args.snapshots)
    if result.dataset is None:
        print(render_text(result.findings[0]))
        return 1
    print(coverage_markdown(coverage(result.dataset, result.quotes.checks)))
    return 0


def cmd_bench(args) -> int:
    from origins.archive.store import snapshot_dirs
    from origins.tools.bench import main as bench

    root = Path(args.root).resolve()
    sizes = [int(s) for s in args.sizes.split(",") if s] + ([1_000_000] if args.million else [])
    dirs = Path(os.pathsep.join(map(str, snapshot_dirs(root, args.snapshots))))  # one argument for each run
    return bench(root, sizes, args.repeat, args.defects, dirs)


def cmd_snapshot(args) -> int:
    from origins.archive.fetch import Options, run

    opts = Options(
        sources=tuple(args.source or ()),
        refresh=args.refresh,
        restore=args.restore,
        offline=args.offline,
        cache=Path(args.cache) if args.cache else None,
        snapshots=args.snapshots,
        wayback=args.wayback,
        timeout=args.timeout,
        max_bytes=args.max_bytes,
    )
    code, lines = run(args.root, opts)
    for line in lines:
        print(line)
    return code


def cmd_site(args) -> int:
    build_dir = Path(args.root) / args.build
    if not (build_dir / "timeline.parquet").is_file() or not (build_dir / "datapackage.json").is_file():
        print(f"{build_dir} has no build; run `make build` first")
        return 1
    from origins.site import write_site_of

    pages = write_site_of(build_dir)
    print(f"wrote {len(pages)} pages to {build_dir / 'site'}")
    return 0


def cmd_docs(args) -> int:
    from origins.pipeline import docs

    for path in docs(Path(args.root)):
        print(f"wrote {path}")
    return 0


SNAPSHOTS_HELP = (
    "directory of archived source texts used to verify quotes; repeat for several "
    "(default: $ORIGINS_SNAPSHOT_DIR, else the local source archive, ../shared/snapshots and ../shared/seeds)"
)
ENGINE_HELP = (
    "Table Schema checks: fast (compiled to Arrow; resources it cannot decide go to frictionless) "
    "or frictionless (the reference validator on everything)"
)


def _checking(sub) -> None:
    v = sub.add_parser("validate", help="check the CSVs against the schemas and the check catalogue")
    v.add_argument("--snapshots", action="append", help=SNAPSHOTS_HELP)
    v.add_argument("--strict", action="store_true", help="treat quotes that cannot be verified as errors")
    v.add_argument("--format", choices=["text", "json"], default="text")
    v.add_argument(
        "--no-cache", dest="cache", action="store_false", help="validate even if nothing changed since the last run"
    )
    v.add_argument("--engine", choices=["fast", "frictionless"], default="fast", help=ENGINE_HELP)
    v.set_defaults(func=cmd_validate)
    f = sub.add_parser("fmt", help="rewrite the CSVs in canonical form (--check: only report)")
    f.add_argument("--check", action="store_true", help="report files not in canonical form, change nothing")
    f.set_defaults(func=cmd_fmt)
    c = sub.add_parser("coverage", help="rows per table, events per year, precision, verification, source tiers")
    c.add_argument("--snapshots", action="append", help=SNAPSHOTS_HELP)
    c.set_defaults(func=cmd_coverage)


def _publishing(sub) -> None:
    b = sub.add_parser("build", help="validate, then write Parquet and build/datapackage.json")
    b.add_argument("--out", default="build", help="output directory (default: build)")
    b.add_argument("--no-site", dest="site", action="store_false", help="do not write the static site into OUT/site")
    b.add_argument("--engine", choices=["fast", "frictionless"], default="fast", help=ENGINE_HELP)
    b.add_argument("--snapshots", action="append", help=SNAPSHOTS_HELP)
    b.set_defaults(func=cmd_build)
    st = sub.add_parser("site", help="(re)write build/site/ from the build's Parquet files (make build does it too)")
    st.add_argument("--build", default="build", help="build directory (default: build)")
    st.set_defaults(func=cmd_site)
    d = sub.add_parser("docs", help="regenerate docs/checks.md and docs/data-dictionary.md")
    d.set_defaults(func=cmd_docs)
    df = sub.add_parser("diff", help="rows added, removed and changed since a release")
    df.add_argument("--from", dest="base", help="manifest to compare from (default: latest in releases/)")
    df.add_argument("--to", help="manifest to compare to (default: the working data)")
    df.add_argument("--format", choices=["markdown", "json"], default="markdown")
    df.set_defaults(func=cmd_diff)
    r = sub.add_parser("release", help="on a clean tree: validate, build, write the manifest and dist/ archive")
    r.add_argument("--snapshots", action="append", help=SNAPSHOTS_HELP)
    r.set_defaults(func=cmd_release)


def _measuring(sub) -> None:
    be = sub.add_parser("bench", help="time validate, build and the hook against frictionless and pyarrow")
    be.add_argument("--sizes", default="1000,10000,100000", help="synthetic sizes in events (comma-separated)")
    be.add_argument("--million", action="store_true", help="also measure 1,000,000 events (slow)")
    be.add_argument("--repeat", type=int, default=3, help="runs of each command per size (median reported)")
    be.add_argument("--defects", type=int, default=0, help="also inject N defects of each kind and count them found")
    be.add_argument("--snapshots", action="append", help=SNAPSHOTS_HELP)
    be.set_defaults(func=cmd_bench)


def _archiving(sub) -> None:
    sn = sub.add_parser(
        "snapshot",
        help="fetch archived captures of the sources into the source archive and record them in sources.csv",
    )
    sn.add_argument("--source", action="append", metavar="ID", help="only this source; repeat for several")
    sn.add_argument("--refresh", action="store_true", help="fetch again sources whose text is already archived")
    sn.add_argument(
        "--restore", action="store_true", help="only fetch texts whose sha256 is recorded; never write sources.csv"
    )
    sn.add_argument("--offline", action="store_true", help="do not try the network: say so and change nothing")
    sn.add_argument("--cache", help="directory to store texts in, as sha256/<hex> (default: the local source archive)")
    sn.add_argument(
        "--snapshots",
        action="append",
        help="directory where texts already archived are looked for, besides --cache; repeat for several "
        "(default: as for validate)",
    )
    sn.add_argument(
        "--wayback",
        help="base address of the web archive asked first, '' for none "
        "(default: $ORIGINS_WAYBACK_BASE, else https://web.archive.org/web/)",
    )
    sn.add_argument("--timeout", type=float, default=30.0, help="seconds allowed for each fetch (default: 30)")
    sn.add_argument(
        "--max-bytes", type=int, default=10_000_000, help="refuse pages larger than this (default: 10,000,000)"
    )
    sn.set_defaults(func=cmd_snapshot)


def parser() -> argparse.ArgumentParser:
    """Every command and its options (the order of `origins --help`)."""
    top = argparse.ArgumentParser(prog="origins", description=__doc__)
    top.add_argument("--root", default=".", help="package root (holds datapackage.json)")
    sub = top.add_subparsers(dest="command", required=True)
    for add in (_checking, _publishing, _measuring, _archiving):
        add(sub)
    return top


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
