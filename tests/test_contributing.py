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
    assert [str(f) for f in result.findings if f.code != "CLM003"] == []  # known weak claims: test_package
    assert result.stats["rows"]["events"] == len(load(REPO).tables["events"].rows) + 1
