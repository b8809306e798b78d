"""WeCom callback crypto: SHA-1 signature, AES-256-CBC with the corp id trailer.

AES goes through wechatpy's ``WeChatCrypto``. What wechatpy does not do is done here: the
signature is compared in constant time, and its exceptions are turned into HTTP statuses (a
garbled ciphertext is a client error, a valid one for another corp is a forbidden request).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct

from wechatpy.crypto.cryptography import WeChatCipher
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidSignatureException

BLOCK = 32  # WeCom pads to 32 bytes, not AES's 16


class CallbackRejected(Exception):
    """A callback refused at the edge: ``status`` is what WeCom gets, ``reason`` the metric label."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def sign(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    """``sha1("".join(sorted([token, timestamp, nonce, encrypt])))`` as lowercase hex."""
    parts = sorted([token, timestamp, nonce, encrypt])
    return hashlib.sha1("".join(parts).encode()).hexdigest()


def pkcs7_pad(data: bytes) -> bytes:
    n = BLOCK - len(data) % BLOCK
    return data + bytes([n]) * n


class WecomCrypto:
    def __init__(self, token: str, encoding_aes_key: str, corp_id: str) -> None:
        if len(encoding_aes_key) != 43:
            raise ValueError("EncodingAESKey must be exactly 43 characters")
        try:
            self._wx = WeChatCrypto(token, encoding_aes_key, corp_id)
        except (AssertionError, binascii.Error, ValueError) as exc:
            raise ValueError("EncodingAESKey is not valid base64 for a 32-byte key") from exc
        self.token = token
        self.corp_id = corp_id
        self.key: bytes = self._wx.key

    def signature(self, timestamp: str, nonce: str, encrypt: str) -> str:
        return sign(self.token, timestamp, nonce, encrypt)

    def verify(self, signature: str, timestamp: str, nonce: str, encrypt: str) -> bool:
        expected = self.signature(timestamp, nonce, encrypt).encode()
        return hmac.compare_digest(expected, signature.encode("utf-8", "replace"))

    def open(self, signature: str, timestamp: str, nonce: str, encrypt: str) -> str:
        """Verify and decrypt; raises CallbackRejected with the status WeCom should get."""
        if not self.verify(signature, timestamp, nonce, encrypt):
            raise CallbackRejected(403, "bad_signature")
        raw = _b64(encrypt)
        try:
            # wechatpy re-checks the signature (already done in constant time above) and decrypts.
            return str(self._wx.decrypt_message({"Encrypt": encrypt}, signature, timestamp, nonce))
        except InvalidSignatureException:
            raise CallbackRejected(403, "bad_signature") from None
        except InvalidCorpIdException:
            # wechatpy cannot tell "another corp" from "garbage that decrypted to noise".
            if self._well_formed(raw):
                raise CallbackRejected(403, "wrong_corpid") from None
            raise CallbackRejected(400, "bad_aes") from None
        except (ValueError, UnicodeDecodeError, struct.error, IndexError):
            raise CallbackRejected(400, "bad_aes") from None

    def _well_formed(self, raw: bytes) -> bool:
        plain = WeChatCipher(self.key).decrypt(raw)
        pad = plain[-1]
        if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
            return False
        content = plain[16:-pad]
        if len(content) < 4:
            return False
        (length,) = struct.unpack(">I", content[:4])
        return 4 + length <= len(content)

    def seal(self, plaintext: str | bytes, random_prefix: bytes | None = None) -> str:
        """Encrypt like WeCom: 16 random bytes, 4-byte length, message, corp id; PKCS#7 to 32."""
        msg = plaintext.encode() if isinstance(plaintext, str) else plaintext
        prefix = random_prefix if random_prefix is not None else secrets.token_hex(8).encode()
        if len(prefix) != 16:
            raise ValueError("the random prefix is 16 bytes")
        body = prefix + struct.pack(">I", len(msg)) + msg + self.corp_id.encode()
        return base64.b64encode(WeChatCipher(self.key).encrypt(pkcs7_pad(body))).decode()


def _b64(encrypt: str) -> bytes:
    try:
        raw = base64.b64decode(encrypt, validate=True)
    except (binascii.Error, ValueError):
        raise CallbackRejected(400, "bad_base64") from None
    if not raw or len(raw) % BLOCK:
        raise CallbackRejected(400, "bad_aes")
    return raw
