"""The README names what an operator can run and set: every benchmark script and every
top-level config key."""

from __future__ import annotations

from bot.config.models import AppConfig
from tests.support.harness import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end]


def test_every_benchmark_script_is_named_in_the_benchmarks_section() -> None:
    scripts = sorted(
        p.name
        for p in (ROOT / "benchmarks").glob("*.py")
        if 'if __name__ == "__main__":' in p.read_text(encoding="utf-8")
    )
    assert "intent.py" in scripts
    text = section("Benchmarks")
    assert [s for s in scripts if f"`{s}`" not in text] == []


def test_every_top_level_config_key_is_documented() -> None:
    assert [k for k in AppConfig.model_fields if f"`{k}" not in README] == []
