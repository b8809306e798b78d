"""An admin's tools beside the bot: ``salesbot init``, ``salesbot doctor``, and bulk import and
export of clients, contacts, deals and payments."""
