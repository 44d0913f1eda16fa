"""Kernel ids stay out of the server's console.

A page's kernel id used to be enough to talk to its kernel, and the console is often on
the projector, so the server logs kernel ids only at DEBUG. Above DEBUG, every kernel id
(a UUID) in a log line, from Jupyter Server, Voilà or Tornado's access log, is replaced by
a short tag that cannot be turned back into the id but still matches across lines.
"""

from __future__ import annotations

import hashlib
import logging
import re

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
LOGGERS = ("", "tornado", "tornado.access", "tornado.application", "tornado.general")


def kernel_tag(kernel_id: str) -> str:
    """Return a short tag for a kernel id: the same id always gives the same tag."""
    return "kernel:" + hashlib.sha256(kernel_id.encode()).hexdigest()[:8]


def redact(text: str) -> str:
    """Replace every UUID in ``text`` with its tag."""
    return _UUID.sub(lambda m: kernel_tag(m.group(0).lower()), text)


class RedactKernelIds(logging.Filter):
    """A handler filter: above DEBUG, a record's message carries tags, not kernel ids."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.DEBUG:
            message = record.getMessage()
            if _UUID.search(message):
                record.msg, record.args = redact(message), None
        return True


def install(*loggers: logging.Logger) -> None:
    """Put the filter on every handler of ``loggers`` and of the usual server loggers."""
    handlers = [h for name in LOGGERS for h in logging.getLogger(name).handlers]
    handlers += [h for logger in loggers for h in logger.handlers]
    if logging.lastResort is not None:  # what prints a warning when no handler is set up
        handlers.append(logging.lastResort)
    for handler in handlers:
        if not any(isinstance(f, RedactKernelIds) for f in handler.filters):
            handler.addFilter(RedactKernelIds())
