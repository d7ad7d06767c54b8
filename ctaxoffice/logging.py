"""Log formatters (plain and JSON). Neither lets a control character reach a log line.

Values from the upstream (a request id, a message) end up in log records; a newline or
an escape sequence in one could forge or hide a line. Both formatters write every
control character (and Unicode line separators) as a visible escape, e.g. `\\x0a`.
"""

import json
import logging
import re

_STANDARD = set(vars(logging.makeLogRecord({})))
# C0 and C1 controls, DEL, and Unicode's line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The same, but keeping the newlines that separate a traceback's own lines.
_CONTROL_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    return _CONTROL.sub(_visible, text)


class PlainFormatter(logging.Formatter):
    """`format` as usual; the line itself escaped, a traceback kept on its own lines."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return escape_controls(super().formatMessage(record))

    def formatException(self, ei) -> str:
        return _CONTROL_BUT_NEWLINE.sub(_visible, super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return _CONTROL_BUT_NEWLINE.sub(_visible, super().formatStack(stack_info))


class JsonFormatter(logging.Formatter):
    """One object per line, with the record's structured extras (json escapes controls)."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update(
            {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}
        )
        if record.exc_info:
            data["exc_info"] = self.formatException(record.exc_info)
        # ensure_ascii: every control character and line separator becomes \\uXXXX.
        return json.dumps(data, default=str, ensure_ascii=True)


class WithoutTraceback(logging.Filter):
    """Drops a record's traceback: for errors that are the client's, not the code's."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True
