"""An admin's tools beside the bot: ``salesbot init`` and ``salesbot doctor``."""
