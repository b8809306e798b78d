"""The incentives section: award metrics and certificate holders are checked, in Chinese."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_config_text
from tests.bot.test_config_report import EXAMPLE, line_of


def test_example_incentives_load() -> None:
    inc = load_config_text(EXAMPLE, env={}).incentives
    assert [(a.name, a.metric, a.period) for a in inc.awards] == [
        ("月度拓客奖", "new_valid_contacts", "month"),
        ("流程规范奖", "demo_completion_rate", "week"),
        ("协作之星奖", "avg_ticket_hours", "month"),
    ]
    assert [(t.year, t.rate) for t in inc.commission.ltv_tiers] == [(2, 0.03), (3, 0.05), (4, 0.07)]
    assert inc.certificates["li.na"] == ("PMP", "华为认证销售专家")


def test_unknown_metric_stage_and_person_are_reported() -> None:
    text = (
        EXAMPLE.replace("metric: new_valid_contacts", "metric: new_valid_contact")
        .replace("stage: 方案演示, period: week", "stage: 方案展示, period: week")
        .replace("    li.na: [PMP", "    li.nn: [PMP")
    )
    with pytest.raises(ConfigError) as info:
        load_config_text(text, env={})
    got = [str(p) for p in info.value.problems]
    assert any(
        p.startswith("incentives.awards[0].metric: 未知的考核指标「new_valid_contact」")
        and f"（第 {line_of(text, 'new_valid_contact,')} 行）" in p
        for p in got
    ), got
    assert any(p.startswith("incentives.awards[1].stage: 未知的阶段「方案展示」") for p in got), got
    assert any(p.startswith("incentives.certificates.li.nn: 未知的人员「li.nn」") for p in got), got


def test_ltv_tiers_must_rise() -> None:
    text = EXAMPLE.replace("- {year: 3, rate: 0.05}", "- {year: 2, rate: 0.05}")
    with pytest.raises(ConfigError) as info:
        load_config_text(text, env={})
    assert any("ltv_tiers 的 year 必须从小到大且不重复" in str(p) for p in info.value.problems)
