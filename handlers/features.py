"""Every feature of the bot, listed once, in the order the dispatcher consults them.

A feature is one unit (see ``bot.feature.Feature``): its router with commands, card taps,
plain-language requests and handlers; the permissions it adds to the access policy; the services
it builds. To add one, write ``handlers/<name>/`` and put its ``FEATURE`` here
(docs/architecture.md, "How to add a feature").
"""

from __future__ import annotations

from bot.feature import Feature


def features() -> list[Feature]:
    from handlers import brief, help
    from handlers.admin import FEATURE as ADMIN
    from handlers.approvals.feature import FEATURE as APPROVALS
    from handlers.followup import FEATURE as FOLLOWUP
    from handlers.incentives import FEATURE as INCENTIVES
    from handlers.orgsync import FEATURE as ORGSYNC
    from handlers.reminders import FEATURE as REMINDERS
    from handlers.stats import FEATURE as STATS

    return [
        help.FEATURE,
        brief.FEATURE,
        STATS,
        INCENTIVES,
        REMINDERS,
        ORGSYNC,
        ADMIN,
        APPROVALS,
        FOLLOWUP,
    ]
