"""The cue patterns the intent classifier weighs (plain regexes, no I/O).

Kept apart from the scoring in nlp/intent.py so the vocabulary can grow without the logic
growing with it. Every pattern runs on ``nlp.extract.text.normalize``d text.
"""

from __future__ import annotations

import re

from nlp.extract.lexicon import SURNAMES

# --- visit narration -------------------------------------------------------------------------
# Something the rep did with a client, told in the past: the backbone of a visit note.
NARRATION = re.compile(
    r"(?<![没未不要])(?:拜访(?!记录|量|次数|数据|热力)|走访|见了|见到|去了|去趟|跑了|聊了|聊得|聊聊|聊完|谈了|谈下|沟通了|沟通过|电话沟通|"
    r"通完电话|通了电话|打电话|打来|来电|回电话|吃饭|吃了个饭|喝茶|上门|碰了|面谈|开了|陪同|"
    r"visited|met\b|跟进了|过了一遍|带队|看了(?:产品)?演示|今天第一次|刚从|刚和|刚跟|见完|发了.{0,4}(?:消息|微信|邮件|资料)|都没回|没回复|不接电话)"
)
# Someone on the client's side said/asked something: 客户问能不能再降5% is a note, the question
# inside it belongs to the client.
_THIRD_PARTY = (
    rf"(?:客户|他|她|他们|她们|对方|老板|领导|采购|负责人|IT|项目部|技术部|科技部|法务|财务|"
    rf"[{SURNAMES}](?:总|经理|主任|总监|工|董|校长|园长|行长|局长|处长|科长|老师)|"
    rf"[{SURNAMES}][\u4e00-\u9fff]{{1,2}}(?=(?:微信|电话里?|邮件里?|当面)?(?:说|问))|[老小][{SURNAMES}]|校长|园长|院长|行长|主任|经理)"
)
REPORTED = re.compile(
    _THIRD_PARTY
    + r"(?:也|还|又|就|都|一直|今天|刚才|刚|特意|终于|那边)?(?:微信|电话里?|邮件里?|当面|群里)?"
    r"(?:说|问|提到|反馈|表示|答应|要求|投诉|觉得|认为|希望|倾向|选了|回复|想看|想知道|想要|"
    r"想先|想用|认可|关心|在评估|wants|[:：](?=.))"  # 王经理：报价批了没？ quotes the client
)
# 帮我记一下 / 备忘: the user says outright that this is something to record.
RECORD_THIS = re.compile(r"记(?:一下|下来?|录一下|个|住)|备忘|记录下|mark一下|note[:：]?", re.I)
ASKED_BY_CLIENT = re.compile(_THIRD_PARTY + r"[^，。,.!?？！]{0,6}?(?:问|想知道|关心)")
# What the rep did or promised in reply.
WE_DID = re.compile(
    r"我(?:们)?(?:说|答应|让|已经|约了|安排|申请|回去|到时候|这边|得|再|明天|后天|下周|周[一二三四五六日]|"
    r"马上|准备|会|先)"
)
# Events of a deal's life; requests mention some of these words too, so each weighs little.
DEAL_EVENT = re.compile(
    r"签了|签下|签约|签合同|签字|合同|中标|丢单|丢了|黄了|输给|没戏|报价|演示|试用|验收|回款|尾款|首付|立项|招标|投标|"
    r"POC|保密协议|预算|方案|上线|续约|续费|采购流程|比价|样机|调研|培训|盖章|付款|demo",
    re.IGNORECASE,
)
_WHEN = (
    r"(?:下周[一二三四五六日天]?|下个?月|下礼拜|明天|后天|周[一二三四五六日天]|月底|年底|年前|"
    r"这周内|本周内|两周|十天|\d+号|月初|下月初|明年|到时候)"
)
NEXT_STEP = re.compile(
    _WHEN + r"[^，。,.!?？！]{0,8}?(?:前|之前|内)?[^，。,.!?？！]{0,4}?"
    r"(?:签|发|给|出|去|约|演示|报价|联系|回复|答复|安排|准备|催|汇报|开始|拜访|讲|带|再|沟通|"
    r"过去|开|定|结果|谈|确认|处理|整理|盖章|上线|验收|付|回|来)"
)

# --- requests --------------------------------------------------------------------------------
QUESTION = re.compile(
    r"吗|呢|么[?？]?$|(?<![没不])(?<!没有)什么|[?？]|多少|几个|几单|几家|怎么样|咋样|如何|谁|哪些|哪个|哪儿|哪了|哪一步|到哪|有没有|了没|没有?$|"
    r"批没批|(?<![没不])啥|什么情况|多久|多长|怎么用|what|how|\bany\b",
    re.IGNORECASE,
)
IMPERATIVE = re.compile(
    r"^查|帮我|给我|发我|发一下|发下|列出|列一下|查一?下|查查|看一?下|看看|瞧瞧|拉一下|"
    r"统计|汇总|调出|show|list|check",
    re.IGNORECASE,
)
# Ordered: the first topic whose pattern matches wins (export before funnel: 把漏斗导出 is an export).
TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "help",
            r"^(?:/?帮助|help|/?h)$|怎么(?:用|录|记|发|操作|提交)|你(?:都)?(?:能|会)(?:干|做)?(?:啥|什么)|"
            r"能干啥|能做什么|有哪些命令|命令有哪些|使用说明",
        ),
        ("status", r"系统状态|运行状态|status|机器人.{0,4}正常|正常吗$|同步了没|同步状态|健康检查"),
        ("export", r"导出|导一下|导个|export|下载.{0,6}(?:数据|表|记录)"),
        # 各城市转化怎么样 is conversion by city: the heatmap. Every text this matches already
        # matched 转化, so it moves a topic, never a note into a request.
        ("heatmap", r"热力图|heat ?map|城市.{0,6}转化"),
        (
            "incentive",
            r"激励|奖金|提成|我的奖|奖励|bonus|incentive|佣金|[季年月]度奖|年终奖|拿到.{0,4}奖",
        ),
        (
            "approvals",
            r"审批|批了没|批下来没|批了吗|批没批|批下来了吗|待批|批复|approval|申请.{0,3}(?:到哪|怎么样|进度)",
        ),
        # 各个阶段平均待多长时间; 客户问每个阶段要多久 (no 待) stays the client's question.
        ("dwell", r"停留|待了多|待多久|呆了多|dwell|阶段.{0,6}(?:待|呆)了?(?:多久|几天|多长)"),
        (
            "conversion",
            r"转化|conversion|哪个(?:渠道|来源).{0,4}(?:效果|转化|成交|最好|最多|最高)",
        ),
        ("funnel", r"漏斗|funnel|pipeline"),
        (
            "forecast",
            r"预测|能做多少|能签多少|能到多少|完成目标|目标.{0,4}完成|完成率|能完成|能达成|forecast|"
            r"预计.{0,6}业绩|业绩预估",  # before ranking: 本月预计业绩多少 is a forecast
        ),
        (
            "ranking",
            r"排行|排名|谁.{0,6}(?:最多|最好|最高|第一|最少)|业绩最|top ?\d*|ranking|龙虎榜",
        ),
        (
            "ranking",
            r"业绩|签了(?:几|多少)",
        ),  # 我们这个月业绩怎么样: the team's numbers, shown as a ranking
        (
            "stall",
            r"卡住|停滞|没动|没进展|搁置|stall|沉睡|不动了|(?:很久|好久|多久|\d+天)没(?:跟进|联系|动静)",
        ),
        ("tasks", r"待办|任务|要跟进|跟进什么|要做|要联系|要拜访|要去哪|todo|to do|日程"),
        ("brief", r"简报|brief|情况|资料|底细|背景|查一?下|查查|怎么样|咋样|近况|进展"),
    )
)
# Asking to look a name up; with a leftover name the catalogue does not know, still a brief.
LOOK_UP = re.compile(r"^简报|^查|查一?下|查查|简报|brief|的资料|背景", re.IGNORECASE)
# Left over after the request words, these are no client's name (上个月的拜访记录).
NOT_A_NAME = re.compile(r"[上本这下]个?(?:月|周|季度?)|今年|去年|记录|数据|单子|客户|商机|报表")
# Topics that name themselves: a bare 漏斗 or 热力图 is a request, a bare 情况 is not.
SELF_STANDING = frozenset(name for name, _ in TOPICS) - {"brief"}
# 华东 / 华南 as a sales region, not the client whose name starts with it.
REGION = re.compile(r"^(?:华东|华南|华北|华中|华西|西南|西北|东北|东南)$")

# --- chit-chat -------------------------------------------------------------------------------
CHAT_WORDS = re.compile(
    r"^好[!！~。]*$|你好|您好|大家好|hello|hi|hey|谢谢|多谢|感谢|谢啦|thanks?|thx|在吗|在不在|哈+|呵呵|嘿嘿|"
    r"好的|好滴|好嘞|好哒|好吧|ok|okay|收到|辛苦了?|早上好|早安|早|中午好|下午好|晚上好|晚安|"
    r"嗯+|哦+|明白|知道了|了解|测试|test|厉害|牛|棒|赞|666|周末愉快|愉快|加油|拜拜|再见|bye|"
    r"没事|不客气|对的|是的|行|可以|在的|领导|老板|大家",
    re.IGNORECASE,
)
CHAT_FILLER = re.compile(
    r"[\s\W_\d]|[啦呀啊哦哈嘿吧呢的了滴嘛哇噢]|[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]"
)
# 谢谢王总 / 王总好: whom the small talk is addressed to.
ADDRESSEE = re.compile(rf"[{SURNAMES}](?:总|经理|主任|总监|工|董|老师|姐|哥)|领导|老板|各位|大家")
GREETING_START = re.compile(r"^(?:你好|您好|大家好|hi|hello|早上好|下午好)", re.IGNORECASE)

# --- subjects of brief requests ---------------------------------------------------------------
SUBJECT_NOISE = re.compile(
    r"^查|帮我|给我|发我|麻烦|请|一下|查查|查下|查|看看|看下|看|瞧瞧|简报|brief|的?情况|的?资料|近况|进展|"
    r"最近|怎么样|咋样|什么|啥|发|个|吧|呢|吗|要去见|明天|今天|下午|上午|要去|见|去|[\s\W_]",
    re.IGNORECASE,
)
