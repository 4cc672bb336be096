"""`run_parse` on saved snapshots, and the snapshot format itself."""

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest

from sourcer.extractor.cli_parse import run_parse
from sourcer.extractor.parsing import build_snapshot, read_snapshot, split_snapshot
from sourcer.proto.records import Profile
from sourcer.simulator import ProfileCatalog, render_hydrated
from sourcer.simulator.linkedin_pages import DETAIL_SECTIONS
from sourcer.simulator.system_pages import linkedin_checkpoint

pytestmark = pytest.mark.unit

TODAY = date(2025, 6, 15)
CATALOG = ProfileCatalog.builtin()


def _run(platform: str, path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_parse(platform, str(path), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_snapshot_round_trip_is_exact() -> None:
    main = "<!DOCTYPE html><html><body><main>x</main></BODY></html>"
    details = {"experience": "<html><body><template>t</template></body></html>&amp; </script>"}
    contact = '<div role="dialog"><a href="mailto:a@b.example">a</a></div>'
    snap = build_snapshot(
        main,
        details,
        contact,
        url="https://www.linkedin.com/in/a/",
        status=200,
        platform="linkedin",
    )
    assert split_snapshot(snap) == (main, details, contact)
    full = read_snapshot(snap)
    assert (full.url, full.status, full.platform) == (
        "https://www.linkedin.com/in/a/",
        200,
        "linkedin",
    )
    assert snap.index("<!--sourcer-snapshot-->") < snap.index("</BODY>")


def test_plain_page_is_a_snapshot_without_extras() -> None:
    assert split_snapshot("<html></html>") == ("<html></html>", {}, None)


def test_linkedin_snapshot_parses_to_the_expected_profile(tmp_path: Path) -> None:
    sim = CATALOG.find("hans-peter-schmidt")
    assert sim is not None
    details = {s: render_hydrated(sim, "details", section=s, today=TODAY) for s in DETAIL_SECTIONS}
    snap = build_snapshot(
        render_hydrated(sim, today=TODAY),
        details,
        render_hydrated(sim, "contact", today=TODAY),
        url="http://127.0.0.1:8600/in/hans-peter-schmidt/",
        status=200,
    )
    path = tmp_path / "snapshot.html"
    path.write_text(snap, encoding="utf-8")
    code, out, err = _run("linkedin", path)
    assert (code, err) == (0, "")
    assert Profile.model_validate(json.loads(out)) == sim.profile


def test_saved_page_without_url_names_itself(tmp_path: Path) -> None:
    sim = CATALOG.find("jan-van-der-berg")
    assert sim is not None
    path = tmp_path / "page.html"
    path.write_text(render_hydrated(sim, today=TODAY), encoding="utf-8")
    code, out, _ = _run("linkedin", path)
    assert code == 0
    assert Profile.model_validate_json(out) == sim.profile


def test_xing_page(tmp_path: Path) -> None:
    sim = CATALOG.find("Thomas_Mueller")
    assert sim is not None
    path = tmp_path / "xing.html"
    path.write_text(
        build_snapshot(render_hydrated(sim), url="https://www.xing.com/profile/Thomas_Mueller")
    )
    code, out, _ = _run("xing", path)
    assert code == 0
    assert Profile.model_validate_json(out) == sim.profile


def test_checkpoint_page_exits_2_naming_kind_and_code(tmp_path: Path) -> None:
    path = tmp_path / "checkpoint.html"
    page = linkedin_checkpoint("abc", "en")
    path.write_text(build_snapshot(page, url="https://www.linkedin.com/checkpoint/challenge/abc"))
    code, out, err = _run("linkedin", path)
    assert code == 2
    assert out == ""
    assert "checkpoint" in err and "page kind" in err and "error code checkpoint" in err


def test_unreadable_file_and_unknown_platform(tmp_path: Path) -> None:
    assert _run("linkedin", tmp_path / "missing.html")[0] == 2
    page = tmp_path / "p.html"
    page.write_text("<html></html>")
    assert _run("myspace", page)[0] == 2


def test_profile_without_a_name_exits_2_with_layout_changed(tmp_path: Path) -> None:
    sim = CATALOG.find("jane-doe")
    assert sim is not None
    html = render_hydrated(sim, today=TODAY).replace("<h2", "<h4").replace("</h2>", "</h4>")
    html = re.sub(r"<title>[^<]*</title>", "<title>LinkedIn</title>", html)
    path = tmp_path / "broken.html"
    path.write_text(build_snapshot(html, url="https://www.linkedin.com/in/jane-doe/"))
    code, _, err = _run("linkedin", path)
    assert code == 2
    assert "layout_changed" in err
