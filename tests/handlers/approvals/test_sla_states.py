"""SLA deadlines on working hours, and the request's state machine."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.approvals.sla import deadlines, elapsed_hours, sla_deadline
from handlers.approvals.states import Action, IllegalTransition, Status, next_status
from tests.handlers.approvals.calendar import WeekdayCalendar

CAL = WeekdayCalendar()
THU_15 = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # Thursday


def test_eight_hours_from_thursday_afternoon_end_friday_afternoon() -> None:
    assert sla_deadline(THU_15, 8, CAL) == datetime(2026, 12, 4, 14, 0, tzinfo=UTC)


def test_half_time_reminder_and_limit_skip_the_weekend() -> None:
    fri_16 = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    got = deadlines(fri_16, 8, CAL)
    assert got.remind_at == datetime(2026, 12, 7, 11, 0, tzinfo=UTC)  # Monday
    assert got.due_at == datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


def test_submitted_at_night_starts_counting_next_morning() -> None:
    sat_night = datetime(2026, 12, 5, 23, 0, tzinfo=UTC)
    assert deadlines(sat_night, 4, CAL).due_at == datetime(2026, 12, 7, 13, 0, tzinfo=UTC)


def test_elapsed_counts_working_hours_only() -> None:
    fri_17 = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)
    mon_10 = datetime(2026, 12, 7, 10, 30, tzinfo=UTC)
    assert elapsed_hours(fri_17, mon_10, CAL) == 2.5


@pytest.mark.parametrize(
    ("status", "action", "last", "expected"),
    [
        (Status.draft, Action.submit, True, Status.pending),
        (Status.draft, Action.withdraw, True, Status.withdrawn),
        (Status.pending, Action.approve, False, Status.pending),
        (Status.pending, Action.approve, True, Status.approved),
        (Status.pending, Action.reject, False, Status.rejected),
        (Status.pending, Action.withdraw, False, Status.withdrawn),
    ],
)
def test_allowed_transitions(status: Status, action: Action, last: bool, expected: Status) -> None:
    assert next_status(status, action, last_step=last) is expected


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.approved, Action.approve),
        (Status.rejected, Action.withdraw),
        (Status.withdrawn, Action.approve),
        (Status.draft, Action.approve),
        (Status.pending, Action.submit),
    ],
)
def test_final_and_draft_requests_refuse_decisions(status: Status, action: Action) -> None:
    with pytest.raises(IllegalTransition):
        next_status(status, action)
