"""Event-subscription crypto (HTTP event subscription; Stream mode needs none).

dingtalk-sdk's ``DingTalkCrypto`` does the AES part correctly. We keep the signature check here so
it runs in constant time (the SDK compares with ``!=``) and draw the 16 random prefix bytes from
``secrets`` (the SDK uses ``random.sample``).
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import secrets
import string
import struct
from collections.abc import Mapping
from dataclasses import dataclass

from dingtalk.core.exceptions import InvalidCorpIdOrSuiteKeyException
from dingtalk.crypto import DingTalkCrypto, PrpCrypto

_ALPHABET = string.ascii_letters + string.digits


class EventCryptoError(Exception):
    """A request that does not verify or decrypt; the reason is safe to log."""


def event_signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypt])).encode()).hexdigest()


def _prp_with_random(random_prefix: str | None) -> type[PrpCrypto]:
    class _Prp(PrpCrypto):  # type: ignore[misc]
        def get_random_string(self) -> str:
            if random_prefix is not None:
                return random_prefix
            return "".join(secrets.choice(_ALPHABET) for _ in range(16))

    return _Prp


@dataclass(frozen=True)
class EventCrypto:
    token: str
    aes_key: str
    owner_key: str  # appKey for an internal app's event subscription (corpId/suiteKey legacy)

    def _sdk(self) -> DingTalkCrypto:
        return DingTalkCrypto(self.token, self.aes_key, self.owner_key)

    def decrypt(self, query: Mapping[str, str], body: Mapping[str, object]) -> str:
        """Verify and decrypt one callback; accepts both spellings DingTalk uses in the query."""
        signature = query.get("msg_signature") or query.get("signature") or ""
        timestamp = query.get("timestamp") or query.get("timeStamp") or ""
        nonce = query.get("nonce") or ""
        encrypt = body.get("encrypt")
        if not isinstance(encrypt, str) or not signature or not timestamp:
            raise EventCryptoError("missing signature, timestamp or encrypt")
        expected = event_signature(self.token, timestamp, nonce, encrypt)
        if not hmac.compare_digest(expected.encode(), signature.encode()):
            raise EventCryptoError("signature mismatch")
        try:
            return str(_prp_with_random(None)(self._sdk().key).decrypt(encrypt, self.owner_key))
        except InvalidCorpIdOrSuiteKeyException as exc:
            raise EventCryptoError("message is for another app") from exc
        except (ValueError, binascii.Error, struct.error, UnicodeDecodeError) as exc:
            raise EventCryptoError(f"cannot decrypt: {type(exc).__name__}") from exc

    def encrypt(
        self, plaintext: str, *, timestamp: str, nonce: str, random_prefix: str | None = None
    ) -> dict[str, str]:
        """``{msg_signature, timeStamp, nonce, encrypt}``; ``random_prefix`` only for test vectors."""
        result = self._sdk()._encrypt_message(
            plaintext, nonce, timestamp, _prp_with_random(random_prefix)
        )
        return {k: str(v) for k, v in result.items()}

    def success_reply(self, *, timestamp: str, nonce: str) -> dict[str, str]:
        """What DingTalk expects back: the encrypted word "success"."""
        return self.encrypt("success", timestamp=timestamp, nonce=nonce)
