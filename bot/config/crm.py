"""Sales vocabulary: funnel stages, product catalogue, competitors, lead sources."""

from enum import StrEnum

from pydantic import Field

from bot.config.base import Frozen


class StageKind(StrEnum):
    open = "open"
    won = "won"
    lost = "lost"


class Stage(Frozen):
    name: str = Field(min_length=1)
    kind: StageKind = StageKind.open
    stall_days: int | None = Field(default=None, gt=0)
    win_probability: float | None = Field(default=None, ge=0, le=1)
    checklist: tuple[str, ...] = ()
    cues: tuple[str, ...] | None = None  # None: the extractor's built-in cue table


DEFAULT_STAGES: tuple[Stage, ...] = (
    Stage(name="首次接触", stall_days=7, checklist=("首次沟通后24小时内发送个性化跟进邮件",)),
    Stage(name="需求确认", stall_days=10),
    Stage(name="方案演示", stall_days=5),
    Stage(name="报价谈判", stall_days=7),
    Stage(name="赢单", kind=StageKind.won),
    Stage(name="输单", kind=StageKind.lost),
)


class Funnel(Frozen):
    stages: tuple[Stage, ...] = DEFAULT_STAGES

    def stage(self, name: str) -> Stage | None:
        return next((s for s in self.stages if s.name == name), None)

    @property
    def open_stages(self) -> tuple[Stage, ...]:
        return tuple(s for s in self.stages if s.kind is StageKind.open)


class Product(Frozen):
    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    line: str | None = None
