"""Pieces every feature imports: the access policy, CRM queries, periods, the working calendar.

Nothing here imports aiohttp: the pure parts (periods, calendar) test without a network.
"""
