"""Follow-up records: a visit note (voice or text) becomes a confirmed record in one tap."""
