"""A request id that follows one message from callback to reply through the JSON logs.

The edge names it when the inbox stores the event; it is stored with the inbox row, set here
while a worker handles the row, copied onto the replies the handler queues, and set again while
the sender delivers them. Log records pick it up from this context variable (``RequestIdFilter``),
so no call site has to pass it along.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


@contextmanager
def bound(request_id: str | None) -> Iterator[None]:
    token = REQUEST_ID.set(request_id)
    try:
        yield
    finally:
        REQUEST_ID.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to a record made while a request is being handled or delivered."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = REQUEST_ID.get()
        if current is not None and not hasattr(record, "request_id"):
            record.request_id = current
        return True
