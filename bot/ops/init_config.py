"""``salesbot init``: a first, commented config.yaml from a few questions (or from flags).

Credentials are never written: each is a ``${ENV}`` reference the bot reads at start, so the
file can be committed and shared. The result passes ``salesbot check-config`` once those
variables are set; the command lists them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.config.org import ID_PATTERN

PLATFORMS = ("wecom", "dingtalk", "both")
DEFAULT_DATABASE = "sqlite://var/salesbot.sqlite3"
_ID = re.compile(ID_PATTERN)


@dataclass(frozen=True)
class Answers:
    org: str
    platform: str
    database: str
    admin_id: str
    admin_name: str
    admin_wecom_userid: str = ""
    admin_dingtalk_staff_id: str = ""
    public_url: str = ""

    @property
    def wecom(self) -> bool:
        return self.platform in ("wecom", "both")

    @property
    def dingtalk(self) -> bool:
        return self.platform in ("dingtalk", "both")


def _q(value: str) -> str:
    """A YAML scalar that stays text whatever the admin typed (quotes, colons, #)."""
    return json.dumps(value, ensure_ascii=False)


def env_names(a: Answers) -> list[str]:
    """The environment variables the written config needs before it loads."""
    names = [] if a.public_url else ["SALESBOT_PUBLIC_URL"]
    if a.dingtalk:
        names.append("SALESBOT_LINK_SECRET")
    if a.wecom:
        names += ["WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET", "WECOM_TOKEN", "WECOM_AES_KEY"]
    if a.dingtalk:
        names += ["DINGTALK_APP_KEY", "DINGTALK_APP_SECRET"]
    return names


def render(a: Answers) -> str:
    public_url = _q(a.public_url) if a.public_url else "${SALESBOT_PUBLIC_URL}"
    link_secret = "${SALESBOT_LINK_SECRET}" if a.dingtalk else "${SALESBOT_LINK_SECRET:-}"
    ids = "".join(
        f", {key}: {_q(value)}"
        for key, value in (
            ("wecom_userid", a.admin_wecom_userid),
            ("dingtalk_staff_id", a.admin_dingtalk_staff_id),
        )
        if value
    )
    return f"""\
# salesbot 配置文件（由 salesbot init 生成）——管理员只需要编辑这一个文件。
# 检查：salesbot check-config config.yaml   体检：salesbot doctor   运行：salesbot serve
# 密钥不写在这里：${{名称}} 在启动时从环境变量读取（${{名称:-默认值}} 带默认值）。

org_name: {_q(a.org)}
timezone: Asia/Shanghai       # 唯一的时区：对话中的日期、定时任务、免打扰时间、报表都按它计算

database:
  # SQLite 适合单机试用；团队使用请换成 PostgreSQL，例如 postgres://salesbot@db-host:5432/salesbot
  url: {_q(a.database)}
  media_dir: var/media          # 语音、图片和文件与记录一起保存在这里

server:
  host: 127.0.0.1               # 放在反向代理（nginx 等）后面；直接对外请改成 0.0.0.0
  port: 8080
  public_url: {public_url}   # 平台回调和审批链接用的外网地址，如 https://bot.example.com
  link_secret: {link_secret}   # 给审批链接签名的随机串

# ---------------------------------------------------------------- 组织
# 先只有管理员一人；照着格式添加区域、团队和人员（或用组织同步）。
regions:
  - {{id: hq, name: 总部}}

# - {{id: east-1, name: 华东一组, region: hq, lead: 主管的人员id}}
teams: []

# role: rep 销售 | supervisor 主管 | manager 经理 | director 总监 | legal 法务 | finance 财务 | admin 管理员
# supervisor: 上一级的人员 id（审批和提醒沿着它向上）
# wecom_userid / dingtalk_staff_id: 此人在各平台里的账号
people:
  - {{id: {_q(a.admin_id)}, name: {_q(a.admin_name)}, role: admin, title: 系统管理员{ids}}}

# ---------------------------------------------------------------- 销售流程
funnel:
  stages:
    # stall_days: 商机在该阶段停留超过这么多天就提醒（销售 → 主管 → 总监）
    - {{name: 首次接触, stall_days: 7}}
    - {{name: 需求确认, stall_days: 10}}
    - {{name: 方案演示, stall_days: 5}}
    - {{name: 报价谈判, stall_days: 7}}
    - {{name: 赢单, kind: won}}
    - {{name: 输单, kind: lost}}

# ---------------------------------------------------------------- 审批
# fields: type 可选 text、amount（元）、percent（5 即 5%）、choice、date、bool、file；
#         required 默认必填；金额和百分比可写界限 gt、ge、lt、le。
# attachments: 提交前必须在对话中发来的附件（文件或图片）。
# route: 从上到下第一条 when 条件全部成立的规则生效（最后一条不写 when）；
#        条件如 "amount < 100000"、"amount >= 50万"、special_terms（有内容）。
# chain: supervisor（直属上级）、supervisor+1（再上一级）、角色（manager、director 取上级链中
#        至少这一级的人；legal、finance 为担任该角色的任何人）、人员 id，或 [a, b] 任一人审批。
# cc: 抄送（看得到卡片和结果，不审批）。sla_hours: 每一级的工作小时时限。
approvals:
  quote:
    name: 报价审批
    command: 报价
    sla_hours: 8
    fields:
      - {{key: client, label: 客户}}
      - {{key: amount, label: 报价金额, type: amount, gt: 0}}
      - {{key: discount, label: 折扣, type: percent, required: false, ge: 0, le: 30}}
      - {{key: special_terms, label: 特殊条款, required: false}}
    route:
      - {{when: "amount < 100000", chain: [supervisor]}}
      - {{chain: [supervisor, director]}}
    cc:
      - {{when: special_terms, to: [legal]}}

# 外出时由谁代为审批（日期含当天），也可在对话中发送 /委托 张三 至 12月5日
delegations: []

# ---------------------------------------------------------------- 机器人自己的时间表
schedules:
  quiet_hours: {{start: "21:00", end: "08:00"}}   # 这段时间不主动推送
  daily_digest: "08:30"
  stall_scan: "09:00"

# ---------------------------------------------------------------- 工作日历
# source: cn 按中国法定节假日和调休计算工作日；none 只看周末。
# 内置数据没有的年份，请按国务院通知在 holidays / workdays 中按年填写，例如：
#   holidays: {{2027: [2027-01-01, 2027-02-06]}}
#   workdays: {{2027: [2027-02-20]}}
calendar:
  source: cn
  work_hours: {{start: "09:00", end: "18:00"}}   # 审批时限按工作时间计算

# ---------------------------------------------------------------- 平台
channels:
{_channels(a)}
# ---------------------------------------------------------------- 语音和语言
asr:
  engine: faster-whisper        # 离线识别；也可用 openai-compatible 接自己的识别服务
  model: bundled-base           # 随安装包提供的 Whisper base，不需要联网下载

nlp:
  llm:
    enabled: false              # 接入 OpenAI 兼容的大模型（DeepSeek、通义千问、本地 vLLM）补全规则没抽到的字段
"""


def _channels(a: Answers) -> str:
    parts = []
    if a.wecom:
        parts.append("""\
  wecom:                        # 企业微信自建应用：管理后台「应用管理」里查看
    enabled: true
    corp_id: ${WECOM_CORP_ID}
    agent_id: ${WECOM_AGENT_ID}
    secret: ${WECOM_SECRET}
    token: ${WECOM_TOKEN}                 # 「接收消息 → 设置 API 接收」里的 Token
    encoding_aes_key: ${WECOM_AES_KEY}    # 同一页的 EncodingAESKey（43 位）
    callback_path: /wecom/callback        # 接收消息的 URL = public_url + 这个路径
""")
    if a.dingtalk:
        parts.append("""\
  dingtalk:                     # 钉钉企业内部应用：开发者后台「凭证与基础信息」
    enabled: true
    app_key: ${DINGTALK_APP_KEY}
    app_secret: ${DINGTALK_APP_SECRET}
    mode: stream                # stream 不需要公网地址；http 模式回调 POST /dingtalk/callback
    card_template_id: ${DINGTALK_CARD_TEMPLATE_ID:-}   # 互动卡片模板；空着则审批按钮用签名链接
""")
    return "".join(parts)


Ask = Callable[[str], str]


def ask_answers(ask: Ask) -> Answers:
    """The questions, in Chinese; an empty answer takes the default shown in brackets."""

    def question(
        prompt: str, default: str = "", check: Callable[[str], str | None] | None = None
    ) -> str:
        while True:
            shown = f"{prompt}" + (f" [{default}]" if default else "") + "："
            value = ask(shown).strip() or default
            problem = "不能为空" if not value else (check(value) if check else None)
            if problem is None:
                return value
            print(f"  {problem}", file=sys.stderr)

    org = question("组织名称（显示在消息和报表里）")
    platform = question(
        "使用哪个平台：wecom（企业微信）/ dingtalk（钉钉）/ both", "wecom", _platform_problem
    )
    database = question("数据库地址", DEFAULT_DATABASE, _database_problem)
    public_url = ask(
        "机器人的外网地址（如 https://bot.example.com，留空则从 SALESBOT_PUBLIC_URL 读取）："
    ).strip()
    admin_id = question("第一位管理员的人员 id（字母、数字、. _ - @）", "admin", _id_problem)
    admin_name = question("管理员姓名", "管理员")
    wecom_id = (
        ask("管理员的企业微信账号 userid（可留空）：").strip() if platform != "dingtalk" else ""
    )
    ding_id = ask("管理员的钉钉 staffId（可留空）：").strip() if platform != "wecom" else ""
    return Answers(org, platform, database, admin_id, admin_name, wecom_id, ding_id, public_url)


def _platform_problem(value: str) -> str | None:
    return None if value in PLATFORMS else "请填写 wecom、dingtalk 或 both"


def _database_problem(value: str) -> str | None:
    ok = value.startswith(("sqlite://", "postgres://", "postgresql://"))
    return None if ok else "应以 sqlite:// 或 postgres:// 开头"


def _id_problem(value: str) -> str | None:
    return None if _ID.match(value) else "只能用字母、数字和 . _ - @，最长 64 个字符"


def answers_from_flags(args: argparse.Namespace) -> Answers | str:
    """The answers given as flags, or what is wrong with them."""
    if not args.org:
        return "--non-interactive 需要 --org"
    for problem in (
        _platform_problem(args.platform),
        _database_problem(args.database),
        _id_problem(args.admin_id),
    ):
        if problem is not None:
            return problem
    return Answers(
        args.org,
        args.platform,
        args.database,
        args.admin_id,
        args.admin_name,
        args.admin_wecom_userid or "",
        args.admin_dingtalk_staff_id or "",
        args.public_url or "",
    )


def run(args: argparse.Namespace, ask: Ask = input) -> int:
    target = Path(args.output)
    if target.exists() and not args.force:
        print(f"{target} 已存在；要覆盖请加 --force。", file=sys.stderr)
        return 2
    if args.non_interactive:
        got = answers_from_flags(args)
        if isinstance(got, str):
            print(got, file=sys.stderr)
            return 2
        answers = got
    else:
        answers = ask_answers(ask)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(answers), encoding="utf-8")
    print(f"已写入 {target}。")
    names = env_names(answers)
    print("启动前请设置这些环境变量（密钥不写进文件）：" + "、".join(names))
    print(
        f"然后依次运行：salesbot check-config {target} → salesbot migrate → salesbot doctor → salesbot serve"
    )
    return 0


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--output", "-o", default="config.yaml", help="写到哪里（默认 ./config.yaml）")
    p.add_argument("--force", action="store_true", help="覆盖已有的文件")
    p.add_argument("--non-interactive", action="store_true", help="不提问，全部从参数读取")
    p.add_argument("--org", help="组织名称")
    p.add_argument("--platform", choices=PLATFORMS, default="wecom")
    p.add_argument("--database", default=DEFAULT_DATABASE, help="数据库地址")
    p.add_argument("--public-url", help="机器人的外网地址（不填则从 SALESBOT_PUBLIC_URL 读取）")
    p.add_argument("--admin-id", default="admin")
    p.add_argument("--admin-name", default="管理员")
    p.add_argument("--admin-wecom-userid")
    p.add_argument("--admin-dingtalk-staff-id")
