"""``python -m bot`` is the same as the ``salesbot`` command."""

from bot.cli import main

main()
