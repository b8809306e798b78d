"""What admins do in chat: the bot's own state (/状态)."""
