"""One shape for every problem the pipeline reports, and its renderings.

A finding always names a file and, where it can, the physical CSV line (header = line 1)
and the 1-based column, so that editors, terminals and GitHub annotations can jump to it.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int  # physical line in the file; 0 when the finding is about the whole file
    column: int  # 1-based column; 0 when not about one column
    code: str
    message: str
    severity: str = ERROR
    field: str = ""
    value: str = ""

    def location(self) -> str:
        loc = self.path
        if self.line:
            loc += f":{self.line}"
            if self.column:
                loc += f":{self.column}"
        return loc


def sort_findings(findings):
    return sorted(findings, key=lambda f: (f.path, f.line, f.column, f.code, f.message))


def _shorten(value: str, limit: int = 80) -> str:
    value = value.replace("\n", "\\n")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def clip(value: str, limit: int = 60) -> str:
    """A cell value short enough for a message (a template then quotes it with `!r`)."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def quoted(value: str, limit: int = 60) -> str:
    """A cell value as it goes into a message: quoted, so spaces and empty text show, and short."""
    return repr(clip(value, limit))


ID_CUTOFF = 0.8  # ids share prefixes and dates, so only a near-identical id is a likely typo


def did_you_mean(value: str, candidates, cutoff: float = 0.6) -> str:
    """' (did you mean 'x'?)' for the candidate the value most likely misspells, else ''.

    Case and surrounding spaces first (`Governance` means `governance`), then difflib's
    similarity; ids pass a higher cutoff, since ids sharing a prefix all look alike.
    """
    candidates = [c for c in dict.fromkeys(candidates) if c]
    folded = {c.casefold(): c for c in candidates}
    match = folded.get(value.strip().casefold())
    if match is None:
        close = difflib.get_close_matches(value, candidates, n=1, cutoff=cutoff)
        match = close[0] if close else None
    return f" (did you mean {quoted(match)}?)" if match and match != value else ""


def render_text(f: Finding) -> str:
    label = "" if f.severity == ERROR else f" ({f.severity})"
    return f"{f.location()}: {f.code}{label} {f.message}"


def _escape_annotation(text: str, prop: bool = False) -> str:
    # GitHub workflow-command escaping: https://github.com/actions/toolkit (command.ts)
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(f: Finding) -> str:
    kind = "error" if f.severity == ERROR else "warning"
    props = [f"file={_escape_annotation(f.path, True)}"]
    if f.line:
        props.append(f"line={f.line}")
    if f.column:
        props.append(f"col={f.column}")
    props.append(f"title={_escape_annotation(f.code, True)}")
    return f"::{kind} {','.join(props)}::{_escape_annotation(f.message)}"


def render_json(findings, summary: dict) -> str:
    return json.dumps(
        {"findings": [asdict(f) for f in findings], "summary": summary},
        indent=2,
        ensure_ascii=False,
    )


shorten = _shorten
