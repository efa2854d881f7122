"""Process logging: text or JSON lines, and never an exception's message or traceback.

Exception messages from third-party code may quote the text they choked on, so a log
line carries the exception's type only. Our own messages name fields, codes and limits.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from service.config import LogSettings


class SafeFormatter(logging.Formatter):
    def __init__(self, *, as_json: bool) -> None:
        super().__init__()
        self._as_json = as_json

    def format(self, record: logging.LogRecord) -> str:
        timestamp = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        fields = {
            "ts": timestamp.replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            fields["exception"] = record.exc_info[0].__name__
        if self._as_json:
            return json.dumps(fields, ensure_ascii=False)
        line = f"{fields['ts']} {fields['level']} {fields['logger']}: {fields['msg']}"
        return f"{line} [{fields['exception']}]" if "exception" in fields else line


def configure_logging(settings: LogSettings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(SafeFormatter(as_json=settings.format == "json"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.level.upper())
