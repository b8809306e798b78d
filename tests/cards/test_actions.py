"""Typed card actions: packed small, decoded in one place, prefixes unique per app."""

from __future__ import annotations

from enum import StrEnum

import pytest

from cards.actions import ActionError, ActionRegistry, CardAction, card_id_of, restamp, split


class Verdict(StrEnum):
    yes = "yes"
    no = "no"


class Decide(CardAction, prefix="tdc"):
    verdict: Verdict
    step: int
    note: str = ""


class Other(CardAction, prefix="tot"):
    op: str


def test_round_trip_keeps_types() -> None:
    action = Decide("ap-12ab", 4, Verdict.no, 2, "r.3")
    packed = action.pack()
    assert packed == "tdc:ap-12ab:4:no:2:r.3"
    back = Decide.unpack(packed)
    assert back == action and back is not None
    assert back.verdict is Verdict.no and back.step == 2


def test_trailing_optional_packs_to_nothing() -> None:
    assert Decide("c", 1, Verdict.yes, 0).pack() == "tdc:c:1:yes:0"
    assert Decide.unpack("tdc:c:1:yes:0") == Decide("c", 1, Verdict.yes, 0, "")


@pytest.mark.parametrize(
    "text",
    [
        "tot:c:1:x",  # another class's prefix
        "tdc:c:1:maybe:0",  # not a Verdict
        "tdc:c:1:yes:two",  # not an int
        "tdc:c:1:yes",  # a required field missing
        "tdc:c:1:yes:0:n:extra",  # too many
        "tdc:c:v1:yes:0",  # no version
        "tdc:c:1:yes:0:<script>",  # characters a payload never has
        "",
    ],
)
def test_foreign_or_broken_payloads_decode_to_none(text: str) -> None:
    assert Decide.unpack(text) is None


def test_packing_refuses_what_cannot_travel() -> None:
    with pytest.raises(ActionError):
        Other("c", 1, "有中文").pack()
    with pytest.raises(ActionError):
        Other("c", 1, "x" * 300).pack()
    with pytest.raises(ActionError):
        type("Bad", (CardAction,), {"__annotations__": {}}, prefix="Bad:")


def test_registry_refuses_a_prefix_claimed_twice() -> None:
    registry = ActionRegistry()
    registry.add(Decide)
    registry.add(Decide)  # the same class again is harmless

    class Impostor(CardAction, prefix="tdc"):
        op: str

    with pytest.raises(ActionError, match="'tdc' is used by both"):
        registry.add(Impostor)
    assert isinstance(registry.decode("tdc:c:1:yes:0"), Decide)
    assert registry.decode("zzz:c:1:yes") is None


def test_split_card_id_and_restamp() -> None:
    assert split("tdc:ap-1:7:yes:0") == ("tdc", "ap-1", 7)
    assert split("not a payload") is None
    assert card_id_of("tot:fu-9:2:save") == "fu-9"
    assert restamp("tot:fu-9:2:save", "fu-9", 5) == "tot:fu-9:5:save"
    assert restamp("tot:fu-9:2:save", "other", 5) == "tot:fu-9:2:save"  # not this card's button
