"""The jobs: module-level coroutines with injected arguments, each run as of ``JobRun.now``."""

from datetime import timedelta

# SQLite keeps an aware datetime as text with the offset it was written with (the follow-up stores
# due dates in +08:00, jobs in UTC), so a comparison in SQL can be off by up to the offsets'
# difference. Jobs widen their SQL bounds by this much and decide the exact edge in Python.
OFFSET_SLACK = timedelta(hours=15)
