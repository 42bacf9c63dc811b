"""CONTRIBUTING.md's walk-through works: its example rows, added as shown, pass every check."""

from __future__ import annotations

import re

from origins.checks.validate import validate
from origins.read.canonical import format_dataset
from origins.read.package import load

from conftest import ARCHIVE, REPO, TODAY

TABLES = ["sources", "events", "participants", "figures", "citations"]


def test_walkthrough_rows_validate(repo_copy):
    text = (REPO / "CONTRIBUTING.md").read_text()
    blocks = re.findall(r"```csv\n(.*?)```", text, flags=re.S)
    assert len(blocks) == len(TABLES)
    for table, block in zip(TABLES, blocks, strict=True):
        with (repo_copy / "raw" / f"{table}.csv").open("a") as fh:
            fh.write(block)
    format_dataset(load(repo_copy))
    result = validate(repo_copy, ARCHIVE, on=TODAY)
    before = {(f.code, f.message) for f in validate(REPO, ARCHIVE, on=TODAY).findings}  # test_package vets these
    assert [str(f) for f in result.findings if (f.code, f.message) not in before] == []
    assert result.stats["rows"]["events"] == len(load(REPO).tables["events"].rows) + 1


def test_the_pipeline_examples_register_what_they_say(tmp_path):
    """The check and the output CONTRIBUTING.md shows are real code: run in a fresh interpreter, the
    check registers its code with its template and the output joins the registry the build loops over."""
    import subprocess
    import sys
    import textwrap

    text = (REPO / "CONTRIBUTING.md").read_text()
    snippets = [textwrap.dedent(s) for s in re.findall(r"```python\n(.*?)```", text, flags=re.S)]
    assert len(snippets) == 2
    program = "\n".join(
        [
            "from origins.checks import REGISTRY, check",
            "from origins.core.codes import Code",
            "from origins.outputs import files",
            "from origins.outputs.registry import Build, output",
            *snippets,
            "assert REGISTRY['MON010'].render(amount=-1) == 'amount -1 is below zero'",
            "assert 'counts.tsv' in files(['events'])",
            "print('ok')",
        ]
    )
    proc = subprocess.run(
        [sys.executable, "-c", program],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO / "scripts")},
    )
    assert proc.stdout.strip() == "ok", proc.stderr
