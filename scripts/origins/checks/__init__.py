"""The registry of checks, each declaring the codes it may emit, as frictionless-py's checks
declare their error classes.

A code is declared once, with a stable id, a name, its severity and a one-line description
(`Code`); `docs/checks.md` is generated from these declarations. A check is a function of the
loaded dataset, the run's context and a `Reporter`, registered with `@check(*codes)`; it reads
rows and reports findings through the reporter, which refuses a code or a severity the check did
not declare, so the catalogue cannot drift from what the checks emit. The API lives in
`origins.checks.registry` and is imported from here; importing this package registers every
check module below.
"""

# importing a family module registers its checks (in this order, the order they run)
from origins.checks import (  # noqa: F401
    citations,
    claims,
    dates,
    declarations,
    emails,
    format,
    money,
    questions,
    references,
    releases,
    roles,
    text,
)
from origins.checks.registry import (  # noqa: F401  (the API, as origins.checks)
    CHECKS,
    REGISTRY,
    Check,
    Context,
    Ran,
    Reporter,
    check,
    run_checks,
)
from origins.core.codes import SEVERITIES, Code, UndeclaredFinding  # noqa: F401


def catalogue() -> dict[str, Code]:
    """Every code the pipeline can emit, by code: the checks' and, declared where they are raised,
    those of reading the package (origins.read.package, origins.read.descriptor) and of the Table
    Schemas (origins.checks.schema). docs/checks.md lists these."""
    from origins.checks import schema  # here, so that a check module need not load them
    from origins.read import descriptor, package

    out = dict(REGISTRY)
    for codes in (package.CODES, descriptor.CODES, schema.PACKAGE_CODES, schema.CODES):
        out.update(codes)
    return dict(sorted(out.items()))
