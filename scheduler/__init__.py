"""The clock (APScheduler, ticks only) and the jobs; the work itself lives in the database."""
