"""Standing and settlement as Chinese text for chat."""

from __future__ import annotations

from decimal import Decimal

from handlers.incentives.ledger import PlannedEntry
from handlers.incentives.rules import THIS_PERIOD, progress
from handlers.incentives.settle import PersonResult, SettlementResult
from handlers.incentives.standing import Standing
from handlers.shared.crm import money

KIND_CN = {"first_year": "首年", "renewal": "续费", "upsell": "增购"}
ENTRY_CN = {"award": "奖项", "commission": "提成", "allowance": "证书津贴", "correction": "更正"}


def yuan(value: Decimal | float) -> str:
    """Pay to the yuan (21,500元): people check their pay against their own sums."""
    return f"{float(value):,.0f}元"


def wan(value: Decimal | float) -> str:
    """Contract values as people say them (30万元)."""
    return money(float(value))


def standing_text(s: Standing) -> tuple[str, str]:
    """(title, markdown body) of /我的激励."""
    title = f"{s.name}的激励 · {s.month.label}"
    lines = ["**奖项进度**"]
    for st in s.awards:
        a = st.award
        head = f"- {a.name}（{THIS_PERIOD.get(a.period, '本期')}）{progress(a, st.current)}"
        if st.earned:
            head += f" ✅ 已达标，奖金 {yuan(a.bonus)}"
        lines.append(head)
        if st.missing:
            lines.append(f"  还差：{st.missing}")
    lines.append("**本月收入（截至现在）**")
    if s.paid:
        parts = [
            f"{KIND_CN.get(g.kind, g.kind)}第{g.contract_year}年 {wan(g.amount)}" for g in s.paid
        ]
        lines.append(f"- 回款：{'，'.join(parts)}")
    lines.append(f"- 提成（含续费/增购 LTV 分红）：{yuan(s.commission)}")
    if s.allowance:
        lines.append(f"- 证书津贴：{yuan(s.allowance)}")
    if s.bonus:
        lines.append(f"- 已达标奖金：{yuan(s.bonus)}")
    lines.append(f"- 合计约 {yuan(s.so_far)}（月度结算后入账）")
    lines.append(f"- 已结算累计：{yuan(s.ledger.amount)}，积分 {s.ledger.points}")
    lines.append(f"**未来 {len(s.projection)} 年 LTV 分红预测**（历史续费率 {s.renewal_rate:.0%}）")
    if not any(p.book for p in s.projection):
        lines.append("- 近一年没有回款记录，暂无可预测的续费。")
    for p in s.projection:
        lines.append(f"- 第{p.offset}年：续费额约 {wan(p.book)}，分红约 {yuan(p.dividend)}")
    return title, "\n".join(lines)


def team_text(label: str, rows: list[Standing]) -> tuple[str, str]:
    title = f"团队激励 · {label}"
    if not rows:
        return title, "你的范围内没有参与激励的人员。"
    lines: list[str] = []
    for s in sorted(rows, key=lambda r: (-r.so_far, r.name)):
        earned = [st.award.name for st in s.awards if st.earned]
        lines.append(
            f"- {s.name}：本月约 {yuan(s.so_far)}（提成 {yuan(s.commission)}）"
            + (f"，已达标：{'、'.join(earned)}" if earned else "，暂无达标奖项")
        )
    return title, "\n".join(lines)


def entry_line(e: PlannedEntry) -> str:
    what = ENTRY_CN.get(e.kind, e.kind)
    if e.kind == "award":
        what = str(e.details.get("award", e.ref))
    elif e.kind == "commission":
        d = e.details
        what = f"{KIND_CN.get(str(d.get('kind')), '')}第{d.get('contract_year')}年回款提成"
    return f"- {what}：{yuan(e.amount)}" + (f"，积分 {e.points}" if e.points else "")


def settlement_message(period_label: str, r: PersonResult) -> str:
    lines = [f"{period_label}激励结算结果："]
    lines += [entry_line(e) for e in r.entries]
    if not r.entries:
        lines.append("- 本月没有新的奖项或提成入账。")
    lines.append(f"合计 {yuan(r.total)}。发送 /我的激励 查看进度。")
    return "\n".join(lines)


def late_entries_message(period_label: str, entries: list[PlannedEntry]) -> str:
    """Entries added to a month already settled (a payment recorded late, say)."""
    total = sum((e.amount for e in entries), Decimal(0))
    lines = [f"{period_label}激励结算有补充入账：", *(entry_line(e) for e in entries)]
    lines.append(f"本次补充合计 {yuan(total)}。发送 /我的激励 查看进度。")
    return "\n".join(lines)


def settlement_summary(result: SettlementResult) -> str:
    verb = "将写入" if result.dry_run else "写入"
    total = sum((r.total for r in result.people), Decimal(0))
    head = (
        f"{result.period.label}：{verb} {result.created} 条，已存在 {result.existing} 条；"
        f"{len(result.people)} 人，合计 {yuan(total)}"
    )
    rows = [
        f"  {r.name}（{r.person_id}）：{len(r.entries)} 条，{yuan(r.total)}" for r in result.people
    ]
    return "\n".join([head, *rows])
