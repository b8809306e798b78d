"""The bot's own clock: reminders, stall scans, SLA escalations and digests (jobs take a ``now``)."""
