"""The README's column tables and the committed templates match what the importer reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ops.kinds import KINDS, template_rows
from bot.ops.sheets import read_table, write_table
from tests.support.harness import ROOT


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_committed_template_is_the_generated_one(kind: str, tmp_path: Path) -> None:
    headers, example, _ = template_rows(KINDS[kind])
    fresh = tmp_path / f"{kind}.csv"
    write_table(fresh, headers, iter([example]))
    assert (ROOT / "docs" / "import" / f"{kind}.csv").read_bytes() == fresh.read_bytes()
    assert read_table(fresh).headers == headers


def test_readme_documents_every_column() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for kind in KINDS.values():
        for c in kind.columns:
            row = f"| {c.header} | {'是' if c.required else ''} | {c.example} |"
            assert row in readme, row
