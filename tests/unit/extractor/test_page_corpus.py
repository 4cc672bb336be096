"""The saved-page corpus: every layout generation of both platforms parses to its exact profile,
through the same command ops use (`sourcer-extractor parse`), and the drift report counts it."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from sourcer.extractor.cli_parse import run_parse
from sourcer.extractor.drift import run_drift
from sourcer.proto.records import Profile

pytestmark = pytest.mark.unit

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
PAGES = sorted(CORPUS.glob("*/*/*.html"))


@pytest.mark.parametrize(
    "page", PAGES, ids=[f"{p.parent.parent.name}/{p.parent.name}/{p.stem}" for p in PAGES]
)
def test_each_layout_generation_parses_to_its_expected_profile(page: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    platform = page.parent.parent.name
    assert run_parse(platform, str(page), out=out, err=err) == 0, err.getvalue()
    expected = Profile.model_validate_json(page.with_suffix(".json").read_text(encoding="utf-8"))
    assert Profile.model_validate_json(out.getvalue()) == expected


def test_corpus_covers_every_generation() -> None:
    layouts = {f"{p.parent.parent.name}/{p.parent.name}" for p in PAGES}
    assert layouts >= {
        "linkedin/flagship-2025", "linkedin/entity-2024", "linkedin/anchored-2022",
        "linkedin/pv-section-2020", "linkedin/public", "xing/modules-2023", "xing/legacy-2020",
        "xing/public-crate",
    }  # fmt: skip


def test_drift_report_on_a_directory_of_mixed_pages(tmp_path: Path) -> None:
    for page in PAGES:
        shutil.copy(page, tmp_path / f"{page.parent.name}-{page.name}")
    # A 2022 page whose experience items lost their shape, and a page that is no profile.
    broken = (CORPUS / "linkedin/pv-section-2020/jonas-keller.html").read_text(encoding="utf-8")
    broken = broken.replace("Dates Employed", "Zeit").replace("Present", "x").replace("20", "z")
    (tmp_path / "broken.html").write_text(broken, encoding="utf-8")
    (tmp_path / "login.html").write_text(
        '<html><body><form><input name="session_password"></form></body></html>'
    )
    out = io.StringIO()
    assert run_drift(str(tmp_path), out=out) == 0
    rows = {line.split()[0]: line.split()[1:5] for line in out.getvalue().splitlines()[1:]}
    assert rows["linkedin/flagship-2025"] == ["2", "2", "0", "0"]
    assert rows["xing/modules-2023"] == ["1", "1", "0", "0"]
    assert rows["linkedin/pv-section-2020"] == ["2", "1", "1", "0"]
    assert "missing experience: 1" in out.getvalue()
    assert rows["linkedin/unknown"][3] == "1"
