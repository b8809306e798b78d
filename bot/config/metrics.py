"""Metric definitions: one source for stats, incentives and exports, so every number means one thing."""

from typing import Literal

from pydantic import Field

from bot.config.base import Frozen


class ForecastSettings(Frozen):
    history_days: int = Field(default=365, ge=30, le=1500)  # closed deals the rates are learnt from
    min_region_trials: int = Field(default=30, ge=1)  # fewer closed deals in a region: pooled rate
    simulations: int = Field(default=2000, ge=100, le=100_000)
    low_quantile: float = Field(default=0.10, gt=0, lt=0.5)
    high_quantile: float = Field(default=0.90, gt=0.5, lt=1)


class Metrics(Frozen):
    # A valid lead (有效线索): a client with a contact who left a phone number, or with at least
    # one saved follow-up ("phone_or_followup"); "phone" needs the phone; "any" counts every client.
    valid_lead: Literal["phone_or_followup", "phone", "any"] = "phone_or_followup"
    # 成单 everywhere (/漏斗's 成单 line, /排行 成单/金额, /预测 已成交): deals closed as won in the
    # period, whenever they were created. The funnel's stages, /转化 and /热力图 follow the deals
    # created in the period instead and call their won ones 赢单.
    # A won customer (成交客户): a client with a deal whose status is won, counted when it closed.
    won_customer: Literal["deal_won"] = "deal_won"
    # 客单价: 成单 amount divided by 成单 deals ("per_deal") or by won customers ("per_customer").
    average_order: Literal["per_deal", "per_customer"] = "per_deal"
    # A visit (拜访): any saved follow-up ("any_followup") or only those naming a client.
    visit: Literal["any_followup", "with_client"] = "any_followup"
    # Answers longer than a phone screen show this many rows and point to /导出 for the rest.
    summary_rows: int = Field(default=10, ge=3, le=50)
    forecast: ForecastSettings = ForecastSettings()
