"""What admins do in chat: the bot's own state (/状态)."""

from bot.config.org import Role
from bot.feature import Feature, permission
from handlers.admin.router import STATUS, router

FEATURE = Feature(
    "admin", router, permissions=(permission(STATUS, (Role.admin,), "查看机器人运行状态"),)
)
