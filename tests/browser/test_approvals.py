"""A quote approval in the sandbox, in a real browser: the rep asks for it and sends the two
pictures it needs; as the supervisor, the card is there and 同意 moves it to the manager."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from storage.models import Approval, ApprovalAttachment, ApprovalStep
from tests.browser.conftest import RunningDemo, screenshot
from tests.browser.test_sandbox import STEP_S, latest_card, open_as, say

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4c50000000049454e44ae426082"
)


async def test_rep_submits_a_quote_and_the_supervisor_approves_it(
    demo: RunningDemo, page: Page, tmp_path: Path
) -> None:
    await open_as(page, demo, "张伟 · 销售")
    await say(page, "/报价 华东机械 30万 折扣5%")
    asked = page.locator(".msg.bot").last
    await expect(asked).to_contain_text("报价审批还不能提交，请补充以下 2 项", timeout=STEP_S)
    await expect(asked).to_contain_text("缺少附件「产品配置表」")

    pictures = []
    for name in ("产品配置表.png", "技术参数说明.png"):
        path = tmp_path / name
        path.write_bytes(PNG)
        pictures.append(path)
    await page.get_by_role("button", name="更多：示例语音").click()
    await page.locator("#image-input").set_input_files([str(p) for p in pictures])
    await expect(page.locator(".msg.me").last).to_contain_text("［图片］技术参数说明.png")
    await expect(page.get_by_text("已添加附件「技术参数说明」")).to_be_visible(timeout=STEP_S)
    await expect(page.get_by_text("已提交报价审批 #")).to_be_visible(timeout=STEP_S)
    mine = latest_card(page)
    await expect(mine).to_contain_text("待 赵磊 审批")
    await screenshot(page, "approvals-1-quote-submitted")

    await open_as(page, demo, "赵磊 · 主管")
    card = latest_card(page)
    await expect(card).to_contain_text("报价审批 #", timeout=STEP_S)
    await expect(card).to_contain_text("30万元")
    await card.get_by_role("button", name="同意", exact=True).click()
    await expect(page.locator(".card").last).to_contain_text("待 王丽 审批", timeout=STEP_S)
    await screenshot(page, "approvals-2-supervisor-approved")

    approval = await Approval.get(requester_id="zhang.wei")
    assert (approval.status, approval.current_step) == ("pending", 2)
    step = await ApprovalStep.get(approval_id=approval.id, seq=1)
    assert (step.status, step.decided_by, step.platform) == ("approved", "zhao.lei", "wecom")
    names = await ApprovalAttachment.filter(approval_id=approval.id).order_by("id")
    assert [a.name for a in names] == ["产品配置表", "技术参数说明"]
