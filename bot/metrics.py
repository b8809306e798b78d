"""Prometheus metrics, in a registry owned by the app (not the library's global one)."""

from __future__ import annotations

from collections import deque

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

RECENT_NOTES = 20  # voice notes the "recent" real-time factor in /状态 averages over


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
        # --- operations (issue 16); the gauges below are refreshed on every scrape (bot/web.py)
        self.callbacks = Counter(
            "salesbot_callbacks",
            "Platform callbacks (HTTP) and Stream frames received, by outcome (HTTP status)",
            ["platform", "status"],
            registry=r,
        )
        self.callback_seconds = Histogram(
            "salesbot_callback_seconds",
            "Time from a callback's arrival to the platform's answer",
            ["platform"],
            registry=r,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.inbox_depth = Gauge(
            "salesbot_inbox_depth", "Inbox rows pending or processing", registry=r
        )
        self.inbox_oldest_age = Gauge(
            "salesbot_inbox_oldest_age_seconds",
            "Age of the oldest inbox row not yet handled (0 when none)",
            registry=r,
        )
        self.outbox_depth = Gauge(
            "salesbot_outbox_depth", "Outbox rows waiting to be delivered", registry=r
        )
        self.outbox_oldest_age = Gauge(
            "salesbot_outbox_oldest_age_seconds",
            "Age of the oldest outbox row not yet delivered (0 when none)",
            registry=r,
        )
        self.outbox_retrying = Gauge(
            "salesbot_outbox_retrying",
            "Outbox rows waiting for another try after a failed delivery",
            registry=r,
        )
        self.outbox_given_up = Gauge(
            "salesbot_outbox_given_up",
            "Messages given up and not re-queued (salesbot outbox retry sends them again)",
            registry=r,
        )
        self.asr_queue = Gauge(
            "salesbot_asr_queue",
            "Voice notes being transcribed or waiting for a worker",
            registry=r,
        )
        self.asr_rtf = Histogram(
            "salesbot_asr_realtime_factor",
            "Transcription time divided by audio length (below 1: faster than real time)",
            ["engine"],
            registry=r,
            buckets=(0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 4),
        )
        self.approvals_past_sla = Gauge(
            "salesbot_approvals_past_sla",
            "Approvals still pending after their SLA deadline",
            registry=r,
        )
        # Each job's last run as recorded in job_runs (scheduler/state.py), read on every scrape.
        self.scheduler_lag = Gauge(
            "salesbot_scheduler_lag_seconds",
            "How late the scheduler started a job's last run, by job id",
            ["job"],
            registry=r,
        )
        # The ASR figures exist only in this process: the gauge and /状态 read these two.
        self.asr_waiting = 0
        self._recent_rtf: deque[float] = deque(maxlen=RECENT_NOTES)

    def asr_started(self) -> None:
        self.asr_waiting += 1
        self.asr_queue.set(self.asr_waiting)

    def asr_finished(self, engine: str, audio_s: float, took_s: float) -> None:
        self.asr_waiting -= 1
        self.asr_queue.set(self.asr_waiting)
        if audio_s > 0 and took_s > 0:
            self.asr_rtf.labels(engine).observe(took_s / audio_s)
            # DingTalk's own transcript costs no recognition time: it would hide a slow engine.
            if engine != "platform":
                self._recent_rtf.append(took_s / audio_s)

    def asr_recent_rtf(self) -> tuple[float, int] | None:
        """The mean real-time factor of the last notes our engines transcribed, and how many."""
        if not self._recent_rtf:
            return None
        return sum(self._recent_rtf) / len(self._recent_rtf), len(self._recent_rtf)
