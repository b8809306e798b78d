"""WeCom's own sample data verifies and decrypts byte for byte; our sealing matches WeCom's."""

from __future__ import annotations

import re

import pytest

from bot.channels.wecom.crypto import CallbackRejected, WecomCrypto, sign
from bot.devtools.sim.wecom_callbacks import Signer
from tests.channels.wecom.support import vectors

V = vectors()
A, B = V["wecom_A"], V["wecom_B"]


def crypto(s: dict) -> WecomCrypto:
    return WecomCrypto(s["token"], s["encoding_aes_key"], s["corpid"])


def encrypt_of(body: str) -> str:
    match = re.search(r"<Encrypt><!\[CDATA\[(.*?)\]\]></Encrypt>", body)
    assert match
    return match.group(1)


def test_set_a_url_check_and_message() -> None:
    c, u, m = crypto(A), A["url_check"], A["message"]
    assert c.open(u["msg_signature"], u["timestamp"], u["nonce"], u["echostr"]) == u["plaintext"]
    plain = c.open(m["msg_signature"], m["timestamp"], m["nonce"], encrypt_of(m["body"]))
    assert plain.encode() == m["plaintext"].encode()


def test_set_b_message_and_our_sealing_reproduces_it() -> None:
    c, m = crypto(B), B["message"]
    plain = c.open(m["msg_signature"], m["timestamp"], m["nonce"], m["encrypt"])
    assert plain.encode() == m["plaintext"].encode()
    prefix = B["random_prefix_of_message"].encode()
    assert c.seal(m["plaintext"], random_prefix=prefix) == m["encrypt"]
    assert sign(B["token"], m["timestamp"], m["nonce"], m["encrypt"]) == m["msg_signature"]


def test_simulator_signs_and_encrypts_like_wecom() -> None:
    c, m = crypto(B), B["message"]
    signer = Signer(B["token"], c.key, B["corpid"], int(m["agent_id"]))
    assert signer.signature(m["timestamp"], m["nonce"], m["encrypt"]) == m["msg_signature"]
    sealed = signer.encrypt(m["plaintext"])
    ts, nonce = "1409659813", "1"
    assert c.open(signer.signature(ts, nonce, sealed), ts, nonce, sealed) == m["plaintext"]


@pytest.mark.parametrize(
    ("mutate", "status", "reason"),
    [
        (lambda sig, enc: ("0" + sig[1:], enc), 403, "bad_signature"),
        (lambda sig, enc: (sig.upper(), enc), 403, "bad_signature"),
        (lambda sig, enc: (sig[:-1], enc), 403, "bad_signature"),
    ],
)
def test_tampered_signatures(mutate, status: int, reason: str) -> None:
    c, m = crypto(B), B["message"]
    sig, enc = mutate(m["msg_signature"], m["encrypt"])
    with pytest.raises(CallbackRejected) as info:
        c.open(sig, m["timestamp"], m["nonce"], enc)
    assert (info.value.status, info.value.reason) == (status, reason)


def test_wrong_corp_and_garbage_are_told_apart() -> None:
    ours = crypto(B)
    other = WecomCrypto(B["token"], B["encoding_aes_key"], "wwsomeoneelse")
    sealed = other.seal("<xml/>")
    with pytest.raises(CallbackRejected) as info:
        ours.open(ours.signature("1", "2", sealed), "1", "2", sealed)
    assert (info.value.status, info.value.reason) == (403, "wrong_corpid")
    for garbage, reason in [
        ("%%%notbase64", "bad_base64"),
        ("QUJD", "bad_aes"),
        ("A" * 64, "bad_aes"),
    ]:
        with pytest.raises(CallbackRejected) as info:
            ours.open(ours.signature("1", "2", garbage), "1", "2", garbage)
        assert (info.value.status, info.value.reason) == (400, reason)


def test_key_must_be_43_characters() -> None:
    with pytest.raises(ValueError, match="43"):
        WecomCrypto("t", "short", "ww1")
