"""The root configuration model and the small runtime sections."""

from typing import Literal

from pydantic import Field, SecretStr

from bot.config.approvals import ApprovalTemplate, Delegation
from bot.config.base import Frozen
from bot.config.calendar import CalendarSettings
from bot.config.channels import Channels
from bot.config.crm import Funnel, Product
from bot.config.incentives import Incentives
from bot.config.metrics import Metrics
from bot.config.org import Person, Region, Team
from bot.config.orgsync import OrgSync
from bot.config.schedule import Schedules, TimeZone
from nlp.settings_asr import AsrSettings
from nlp.settings_nlp import NlpSettings


class Database(Frozen):
    url: str = "sqlite://var/salesbot.sqlite3"
    media_dir: str = "var/media"


class Server(Frozen):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    public_url: str | None = None
    link_secret: SecretStr = SecretStr("")
    # Events one user may send per minute (a burst of twice that is allowed); beyond it they are
    # acknowledged but dropped and counted. Far above what a person does.
    max_events_per_user_minute: int = Field(default=120, ge=1)


class Pipeline(Frozen):
    workers: int = Field(default=4, ge=1, le=64)
    # Short, because a heartbeat renews every third of it: a dead process's work is taken over
    # within seconds (inbox and outbox alike).
    lease_seconds: float = Field(default=15, gt=0)
    max_attempts: int = Field(default=4, ge=1)
    poll_seconds: float = Field(default=1.0, gt=0)
    drain_seconds: float = Field(default=20, ge=0)
    # A reply is retried (capped exponential backoff with jitter) for this long, then given up
    # and the admins told; an outage shorter than this loses nothing.
    delivery_give_up_hours: float = Field(default=24, gt=0)
    retry_cap_seconds: float = Field(default=300, ge=1)
    # Consecutive transient failures after which a platform app counts as down (probes only).
    circuit_failures: int = Field(default=5, ge=1)
    # At most one chat note to the admins about given-up messages per this many minutes.
    give_up_notice_minutes: float = Field(default=10, gt=0)


class Logging(Frozen):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["json", "text"] = "json"


class AppConfig(Frozen):
    org_name: str = "销售团队"
    timezone: TimeZone = "Asia/Shanghai"
    database: Database = Database()
    server: Server = Server()
    pipeline: Pipeline = Pipeline()
    logging: Logging = Logging()
    regions: tuple[Region, ...] = ()
    teams: tuple[Team, ...] = ()
    people: tuple[Person, ...] = ()
    funnel: Funnel = Funnel()
    products: tuple[Product, ...] = ()
    competitors: tuple[str, ...] = ()
    lead_sources: tuple[str, ...] = ()
    approvals: dict[str, ApprovalTemplate] = Field(default_factory=dict)
    delegations: tuple[Delegation, ...] = ()
    incentives: Incentives = Incentives()
    metrics: Metrics = Metrics()
    schedules: Schedules = Schedules()
    calendar: CalendarSettings = CalendarSettings()
    channels: Channels = Channels()
    asr: AsrSettings = Field(default_factory=AsrSettings)
    nlp: NlpSettings = Field(default_factory=NlpSettings)
    org_sync: OrgSync = OrgSync()

    def person(self, person_id: str) -> Person | None:
        return next((p for p in self.people if p.id == person_id), None)
