"""Typed configuration: one YAML file validated once at startup, then passed around read-only."""

from bot.config.loader import (
    ConfigError,
    ConfigProblem,
    ConfigReport,
    check_config,
    check_config_text,
    load_config,
    load_config_text,
)
from bot.config.models import AppConfig

__all__ = [
    "AppConfig",
    "ConfigError",
    "ConfigProblem",
    "ConfigReport",
    "check_config",
    "check_config_text",
    "load_config",
    "load_config_text",
]
