"""Prometheus metrics, in a registry owned by the app (not the library's global one)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.received = Counter(
            "salesbot_inbox_received",
            "Events persisted to the inbox",
            ["platform", "kind"],
            registry=r,
        )
        self.duplicates = Counter(
            "salesbot_inbox_duplicates",
            "Retries and replays dropped by the inbox",
            ["platform"],
            registry=r,
        )
        self.rejected = Counter(
            "salesbot_callbacks_rejected",
            "Callbacks refused at the edge",
            ["platform", "reason"],
            registry=r,
        )
        self.handled = Counter(
            "salesbot_events_handled", "Events handled by a worker", ["kind", "outcome"], registry=r
        )
        self.handle_seconds = Histogram(
            "salesbot_handle_seconds",
            "Time a handler took",
            ["kind"],
            registry=r,
            buckets=(0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
        )
        self.sent = Counter(
            "salesbot_outbox_sent",
            "Messages delivered to a platform",
            ["platform", "kind"],
            registry=r,
        )
        self.send_failures = Counter(
            "salesbot_outbox_failures",
            "Delivery attempts that failed",
            ["platform", "outcome"],
            registry=r,
        )
        self.throttled = Counter(
            "salesbot_outbox_throttled",
            "Sends held back by a platform rate limit",
            ["platform"],
            registry=r,
        )
        self.retries = Counter(
            "salesbot_outbox_retries",  # exposed as salesbot_outbox_retries_total
            "Deliveries that failed for now and were scheduled again",
            ["platform"],
            registry=r,
        )
        self.gave_up = Counter(
            "salesbot_outbox_gave_up",  # exposed as salesbot_outbox_gave_up_total
            "Messages given up: a permanent error, or retried for pipeline.delivery_give_up_hours",
            ["platform"],
            registry=r,
        )
        self.circuit_open = Gauge(
            "salesbot_circuit_open",
            "1 while a platform app looks down and only probes are sent to it",
            ["platform", "app"],
            registry=r,
        )
        self.backlog = Gauge("salesbot_inbox_backlog", "Inbox rows not yet handled", registry=r)
