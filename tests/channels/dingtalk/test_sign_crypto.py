"""HTTP-mode signatures and event-subscription crypto against DingTalk's published samples."""

from __future__ import annotations

import pytest

from bot.channels.dingtalk.crypto import EventCrypto, EventCryptoError, event_signature
from bot.channels.dingtalk.sign import HOUR_MS, check_http_sign, http_sign
from tests.channels.dingtalk.support import vectors

SIGNS = vectors()["dingtalk_http_sign"]
CRYPTO = vectors()["dingtalk_crypto"]


@pytest.mark.parametrize("case", SIGNS, ids=lambda c: c["timestamp"])
def test_http_sign_examples(case: dict[str, str]) -> None:
    assert http_sign(case["app_secret"], case["timestamp"]) == case["sign"]
    now = int(case["timestamp"])
    assert check_http_sign(case["app_secret"], case["timestamp"], case["sign"], now) is None
    # ±1 hour is fine, a millisecond more is not.
    assert (
        check_http_sign(case["app_secret"], case["timestamp"], case["sign"], now + HOUR_MS) is None
    )
    assert (
        check_http_sign(case["app_secret"], case["timestamp"], case["sign"], now - HOUR_MS) is None
    )
    stale = check_http_sign(case["app_secret"], case["timestamp"], case["sign"], now + HOUR_MS + 1)
    assert stale == "stale"


def test_forged_or_missing_http_signs_are_refused() -> None:
    case = SIGNS[0]
    now = int(case["timestamp"])
    assert check_http_sign("other secret", case["timestamp"], case["sign"], now) == "signature"
    tampered = case["sign"][:-2] + "A="
    assert check_http_sign(case["app_secret"], case["timestamp"], tampered, now) == "signature"
    assert check_http_sign(case["app_secret"], "", case["sign"], now) == "missing"
    assert check_http_sign(case["app_secret"], "12ab", case["sign"], now) == "missing"
    assert check_http_sign(case["app_secret"], case["timestamp"], "", now) == "missing"
    assert check_http_sign("", case["timestamp"], case["sign"], now) == "no_secret"


@pytest.mark.parametrize("case", CRYPTO, ids=lambda c: c["token"])
def test_crypto_vectors_verify_and_decrypt(case: dict[str, str]) -> None:
    crypto = EventCrypto(case["token"], case["aes_key"], case["owner_key"])
    sig = case["msg_signature"]
    assert event_signature(case["token"], case["timestamp"], case["nonce"], case["encrypt"]) == sig
    for query in (
        {"msg_signature": sig, "timestamp": case["timestamp"], "nonce": case["nonce"]},
        {"signature": sig, "timeStamp": case["timestamp"], "nonce": case["nonce"]},
    ):
        assert crypto.decrypt(query, {"encrypt": case["encrypt"]}) == case["plaintext"]


def test_crypto_vector_with_a_fixed_random_encrypts_exactly() -> None:
    case = next(c for c in CRYPTO if "encrypt_with_random_1234567890123456" in c)
    expected = case["encrypt_with_random_1234567890123456"]
    crypto = EventCrypto(case["token"], case["aes_key"], case["owner_key"])
    out = crypto.encrypt(
        case["plaintext"],
        timestamp=case["timestamp"],
        nonce=case["nonce"],
        random_prefix="1234567890123456",
    )
    assert out == {
        "msg_signature": expected["msg_signature"],
        "encrypt": expected["encrypt"],
        "timeStamp": case["timestamp"],
        "nonce": case["nonce"],
    }


def test_success_reply_round_trips_and_uses_a_fresh_random() -> None:
    case = CRYPTO[1]
    crypto = EventCrypto(case["token"], case["aes_key"], case["owner_key"])
    first = crypto.success_reply(timestamp="1700000000000", nonce="abcdefgh")
    second = crypto.success_reply(timestamp="1700000000000", nonce="abcdefgh")
    assert first["encrypt"] != second["encrypt"]  # 16 random bytes up front
    query = {
        "msg_signature": first["msg_signature"],
        "timestamp": "1700000000000",
        "nonce": "abcdefgh",
    }
    assert crypto.decrypt(query, {"encrypt": first["encrypt"]}) == "success"


def test_crypto_refuses_forged_and_foreign_messages() -> None:
    case = CRYPTO[0]
    crypto = EventCrypto(case["token"], case["aes_key"], case["owner_key"])
    query = {
        "msg_signature": case["msg_signature"],
        "timestamp": case["timestamp"],
        "nonce": case["nonce"],
    }
    with pytest.raises(EventCryptoError, match="signature"):
        crypto.decrypt({**query, "nonce": "other"}, {"encrypt": case["encrypt"]})
    with pytest.raises(EventCryptoError, match="missing"):
        crypto.decrypt(query, {})
    foreign = EventCrypto(case["token"], case["aes_key"], "suite-of-someone-else")
    with pytest.raises(EventCryptoError, match="another app"):
        foreign.decrypt(query, {"encrypt": case["encrypt"]})
    # A correctly signed body that is not our ciphertext.
    junk = "bm90IGEgY2lwaGVydGV4dA=="
    junk_query = {
        **query,
        "msg_signature": event_signature(case["token"], case["timestamp"], case["nonce"], junk),
    }
    with pytest.raises(EventCryptoError):
        crypto.decrypt(junk_query, {"encrypt": junk})
