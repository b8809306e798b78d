"""Shared pydantic base: every config model is frozen and rejects unknown keys (typos surface)."""

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
