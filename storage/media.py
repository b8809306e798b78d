"""Original files (voice notes, images, attachments) kept on disk by content hash.

The original audio is kept with the follow-up record whatever happens to its transcription, so a
rep's words are never lost to a decoder or model failure.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from pathlib import Path

from storage.models import Media


class MediaStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest

    async def save(self, data: bytes, content_type: str) -> Media:
        digest = hashlib.sha256(data).hexdigest()
        existing = await Media.get_or_none(sha256=digest)
        if existing is not None:
            return existing
        path = self._path(digest)
        await asyncio.to_thread(_write_atomically, path, data)
        media, _ = await Media.get_or_create(
            sha256=digest,
            defaults={"content_type": content_type, "size": len(data), "path": str(path)},
        )
        return media


class MediaUnavailable(Exception):
    """A stored file that cannot be sent: its row or its bytes are gone."""


async def stored_file(media_id: int) -> tuple[Media, bytes]:
    """The media row and its bytes, for a channel about to upload them."""
    media = await Media.get_or_none(id=media_id)
    if media is None:
        raise MediaUnavailable(f"media {media_id} does not exist")
    try:
        data = await asyncio.to_thread(Path(media.path).read_bytes)
    except OSError as exc:
        raise MediaUnavailable(f"media {media_id} unreadable: {exc.strerror}") from None
    return media, data


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
