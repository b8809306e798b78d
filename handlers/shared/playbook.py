"""What to say and do at each funnel stage: the brief's talking points, the stall ladder's push.

One place, so the brief a rep reads and the nudge a supervisor gets about the same deal agree.
Stages an organisation adds in config fall back to the generic lines.
"""

TALKING_POINTS = {
    "首次接触": "了解客户现状与痛点，确认决策人、预算和时间表",
    "需求确认": "逐条确认需求文档和预算范围，约方案演示",
    "方案演示": "收集演示反馈，明确评估标准和决策时间",
    "报价谈判": "强调价值而非价格，守住折扣底线，推动合同审批",
    "赢单": "确认实施计划、验收标准和回款节点",
    "输单": "了解输单原因，保持联系，留意续约或二期机会",
}
DEFAULT_TALKING_POINT = "回顾上次沟通，确认客户当前优先级"

# What a supervisor can do to move a deal stuck in a stage (the stall ladder's second rung).
STALL_MOVES = {
    "首次接触": "陪同销售二次拜访，帮助找到决策人并约定需求调研时间",
    "需求确认": "组织一次需求澄清会，带上售前顾问，当场确认预算和时间表",
    "方案演示": "安排针对性的二次演示或客户参观样板项目，明确评估标准和决策人",
    "报价谈判": "主管出面做一次商务沟通，评估可让步空间，推动报价或合同审批",
}
DEFAULT_STALL_MOVE = "与销售一起复盘卡点，约定下一步的具体时间和负责人"


def talking_point(stage: str) -> str:
    return TALKING_POINTS.get(stage, DEFAULT_TALKING_POINT)


def stall_move(stage: str) -> str:
    return STALL_MOVES.get(stage, DEFAULT_STALL_MOVE)
