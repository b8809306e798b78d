"""Pure pieces every feature shares: periods and the working calendar (no aiohttp, no database)."""
