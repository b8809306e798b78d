"""The durable message pipeline: inbox → workers → router → handlers → outbox → channels."""
