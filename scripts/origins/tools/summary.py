"""The pull-request summary: what a change does to the data, for GitHub's job summary page.

Under GitHub Actions, `validate` appends it to the file named by GITHUB_STEP_SUMMARY, so a
reviewer sees rows added, changed and removed since the last release, schema changes and the
findings without reading the log.
"""

from __future__ import annotations

from origins.core.findings import ERROR
from origins.release.manifest import changes, manifest
from origins.release.schema_diff import describe


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def pr_summary(result) -> str:
    """Markdown: the findings, then the rows and schemas changed since the latest release."""
    errors = [f for f in result.findings if f.severity == ERROR]
    warnings = [f for f in result.findings if f.severity != ERROR]
    lines = ["## openai-origins: what this change does", ""]
    verdict = "passes every check" if not errors else f"has {len(errors)} error(s); fix them before merging"
    lines += [f"The data {verdict} ({len(warnings)} warning(s)).", ""]
    if result.findings:
        lines += ["| where | code | finding |", "|---|---|---|"]
        for f in result.findings[:100]:
            where = f"{f.path}:{f.line}" + (f":{f.column}" if f.column else "")
            lines.append(f"| `{where}` | {f.code} | {_cell(f.message)} |")
        if len(result.findings) > 100:
            lines.append(f"| … | | {len(result.findings) - 100} more in the log |")
        lines.append("")
    ds = result.dataset
    last = ds.latest_release if ds is not None else None
    if last is None:
        return "\n".join(lines + ["No release to compare with.", ""])
    c = changes(ds.root, last, manifest(ds))
    lines += [f"### Since release {last['version']} (needs a {c['level']} version)", ""]
    if c["tables"]:
        lines += ["| table | added | changed | removed |", "|---|---:|---:|---:|"]
        for table, e in c["tables"].items():
            lines.append(f"| {table} | {len(e['added'])} | {len(e['changed'])} | {len(e['removed'])} |")
    else:
        lines.append("No row added, changed or removed.")
    lines.append("")
    if c["schemas"] is None:
        lines.append("Schema changes: not known (the release's schemas are not in its manifest or in git).")
    elif c["schemas"]:
        lines += ["Schema changes:", ""] + [f"- {describe(x)}" for x in c["schemas"]]
    else:
        lines.append("No schema change.")
    return "\n".join(lines) + "\n"
