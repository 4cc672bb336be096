"""`sourcer-extractor score`: field-level precision and recall of saved pages, per layout."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from sourcer.extractor.cli import main
from sourcer.extractor.scoring import profile_fields, run_score
from sourcer.proto.records import Profile

pytestmark = pytest.mark.unit

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
PAGE = CORPUS / "linkedin/entity-2024/maria-de-la-cruz.html"


def _report(directory: Path) -> dict[str, dict[str, float]]:
    out = io.StringIO()
    assert run_score(str(directory), out=out, as_json=True) == 0
    report: dict[str, dict[str, float]] = json.loads(out.getvalue())
    return report


def test_every_layout_of_the_corpus_scores_full_marks() -> None:
    report = _report(CORPUS)
    assert {name for name in report if name != "total"} >= {
        "linkedin/flagship-2025", "linkedin/entity-2024", "linkedin/anchored-2022",
        "linkedin/pv-section-2020", "linkedin/public", "xing/modules-2023",
        "xing/legacy-2020", "xing/public-crate",
    }  # fmt: skip
    assert {name: row["f1"] for name, row in report.items()} == dict.fromkeys(report, 1.0)


def test_fields_are_counted_per_value_and_role(tmp_path: Path) -> None:
    profile = Profile.model_validate_json(PAGE.with_suffix(".json").read_text(encoding="utf-8"))
    fields = profile_fields(profile)
    assert fields[("experience.company", "globex corporation")] == 3
    assert fields[("experience.dates", "2022-01..present")] == 1
    assert fields[("education.dates", "2011..2015")] == 1
    assert fields[("language", "spanish: native or bilingual proficiency")] == 1
    assert ("email", "maria.delacruz@example.com") in fields


def test_a_wrong_expectation_lowers_precision_and_recall(tmp_path: Path) -> None:
    shutil.copy(PAGE, tmp_path / "page.html")
    expected = json.loads(PAGE.with_suffix(".json").read_text(encoding="utf-8"))
    expected["skills"] = [*expected["skills"][:3], "Rust", "Haskell"]  # one dropped, two added
    (tmp_path / "page.json").write_text(json.dumps(expected), encoding="utf-8")
    row = _report(tmp_path)["linkedin/entity-2024"]
    assert (row["expected"], row["right"]) == (28, 26)  # 27 fields read, 26 of them expected
    assert row["precision"] == pytest.approx(26 / 27)
    assert row["recall"] == pytest.approx(26 / 28)


def test_a_page_that_does_not_parse_misses_all_its_fields(tmp_path: Path) -> None:
    (tmp_path / "login.html").write_text(
        '<html><body><form><input name="session_password"></form></body></html>'
    )
    shutil.copy(PAGE.with_suffix(".json"), tmp_path / "login.json")
    row = _report(tmp_path)["linkedin/unknown"]
    assert (row["right"], row["recall"], row["f1"]) == (0, 0.0, 0.0)


def test_the_command_prints_a_table_per_layout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(CORPUS / "xing")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["layout", "pages", "fields", "right", "P", "R", "F1"]
    assert lines[-1].split()[:3] == [
        "total",
        "(micro)",
        str(len(list(CORPUS.glob("xing/*/*.html")))),
    ]


def test_a_folder_without_expected_profiles_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<html></html>")
    assert run_score(str(tmp_path), out=io.StringIO()) == 2
