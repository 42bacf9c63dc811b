"""Command line: a thin layer over the library (python -m origins COMMAND)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .findings import ERROR, render_github, render_json, render_text


def _summary_lines(result) -> list[str]:
    rows = result.stats.get("rows", {})
    quotes = result.stats.get("quotes", {})
    warnings = sum(f.severity != ERROR for f in result.findings)
    lines = []
    if rows:
        lines.append("rows checked: " + ", ".join(f"{k} {v}" for k, v in rows.items()))
    if quotes:
        lines.append(
            f"quotes: {quotes['verified']} verified against archived texts, "
            f"{quotes['unverified']} unverified (no archived text available)"
        )
    lines.append(f"{result.errors} error(s), {warnings} warning(s)")
    return lines


def cmd_validate(args) -> int:
    from .validate import validate

    start = time.perf_counter()
    result = validate(args.root, args.snapshots, args.strict)
    if args.format == "json":
        print(render_json(result.findings, {**result.stats, "errors": result.errors}))
    else:
        for f in result.findings:
            print(render_text(f))
        for line in _summary_lines(result):
            print(line)
        print(f"validated in {time.perf_counter() - start:.2f} s")
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for f in result.findings:
            print(render_github(f))
    return 0 if result.ok else 1


def cmd_build(args) -> int:
    from .build import build

    start = time.perf_counter()
    code, messages = build(Path(args.root), Path(args.out), args.snapshots)
    for m in messages:
        print(m)
    if code == 0:
        print(f"built in {time.perf_counter() - start:.2f} s")
    return code


def cmd_fmt(args) -> int:
    from .fmt import format_dataset
    from .package import LoadError, load

    try:
        ds = load(args.root)
    except LoadError as exc:
        print(render_text(exc.finding))
        return 1
    if args.check:
        from .checks import Context
        from .checks.layout import not_canonical

        findings = list(not_canonical(ds, Context(today=None)))
        for f in findings:
            print(render_text(f))
        return 1 if findings else 0
    for line in format_dataset(ds):
        print(line)
    return 0


def cmd_docs(args) -> int:
    from .docs import write_docs

    for path in write_docs(Path(args.root)):
        print(f"wrote {path}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="origins", description=__doc__)
    parser.add_argument("--root", default=".", help="package root (holds datapackage.json)")
    sub = parser.add_subparsers(dest="command", required=True)
    snap_help = (
        "directory of archived source texts used to verify quotes "
        "(default: $ORIGINS_SNAPSHOT_DIR, else ../shared/seeds)"
    )
    v = sub.add_parser("validate", help="check the CSVs against the schemas and the check catalogue")
    v.add_argument("--snapshots", help=snap_help)
    v.add_argument("--strict", action="store_true", help="treat quotes that cannot be verified as errors")
    v.add_argument("--format", choices=["text", "json"], default="text")
    v.set_defaults(func=cmd_validate)
    b = sub.add_parser("build", help="validate, then write Parquet and build/datapackage.json")
    b.add_argument("--out", default="build", help="output directory (default: build)")
    b.add_argument("--snapshots", help=snap_help)
    b.set_defaults(func=cmd_build)
    f = sub.add_parser("fmt", help="rewrite the CSVs in canonical form (--check: only report)")
    f.add_argument("--check", action="store_true", help="report files not in canonical form, change nothing")
    f.set_defaults(func=cmd_fmt)
    d = sub.add_parser("docs", help="regenerate docs/checks.md and docs/data-dictionary.md")
    d.set_defaults(func=cmd_docs)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
