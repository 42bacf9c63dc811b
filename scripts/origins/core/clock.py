"""The run's day, in one place: SOURCE_DATE_EPOCH pins it for reproducible runs and tests."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime


def today() -> date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), tz=UTC).date() if epoch else date.today()
