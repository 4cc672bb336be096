"""Every built-in simulated member parses back to exactly its expected profile."""

import re
from dataclasses import replace
from datetime import date

import pytest

from sourcer.extractor.parsing import LayoutChanged, parse_linkedin, parse_xing
from sourcer.extractor.parsing.linkedin import merge_items
from sourcer.proto.records import Platform, Profile
from sourcer.simulator import SimProfile, builtin_profiles, render_hydrated, render_served
from sourcer.simulator.linkedin_pages import DETAIL_SECTIONS
from sourcer.simulator.render import LINKEDIN_LAYOUTS, XING_LAYOUTS

pytestmark = pytest.mark.unit

TODAY = date(2025, 6, 15)
SIM_BASE = "http://127.0.0.1:8600"
MEMBERS = [m for m in builtin_profiles() if not m.private]


def _parse(
    sim: SimProfile,
    *,
    variant: bool,
    seed: str = "unit",
    with_extras: bool = True,
    layout: str | None = None,
) -> Profile:
    sim = replace(sim, layout=layout)
    url = SIM_BASE + sim.path
    main = render_hydrated(sim, layout_variant=variant, seed=seed, today=TODAY)
    if sim.platform is Platform.XING:
        return parse_xing(main, url=url)
    details = None
    contact = None
    if with_extras:
        # As the browser does: only the details pages the profile links with "Show all".
        details = {
            s: render_hydrated(
                sim, "details", section=s, layout_variant=variant, seed=seed, today=TODAY
            )
            for s in DETAIL_SECTIONS
            if f"/details/{s}/" in main
        }
        contact = render_hydrated(sim, "contact", layout_variant=variant, seed=seed, today=TODAY)
    return parse_linkedin(main, details=details, contact_html=contact, url=url)


@pytest.mark.parametrize("variant", [False, True], ids=["standard", "layout_variant"])
@pytest.mark.parametrize("sim", MEMBERS, ids=[m.slug for m in MEMBERS])
def test_parses_exactly_the_expected_profile(sim: SimProfile, variant: bool) -> None:
    assert _parse(sim, variant=variant) == sim.profile


GENERATIONS = [
    (m, layout)
    for m in MEMBERS
    for layout in (XING_LAYOUTS if m.platform is Platform.XING else LINKEDIN_LAYOUTS)
]


@pytest.mark.parametrize(
    ("sim", "layout"), GENERATIONS, ids=[f"{m.slug}-{layout}" for m, layout in GENERATIONS]
)
def test_every_layout_generation_parses_to_the_same_profile(sim: SimProfile, layout: str) -> None:
    assert _parse(sim, variant=False, layout=layout) == sim.profile


@pytest.mark.parametrize("seed", ["build-1", "build-2", "another front-end build"])
def test_class_names_do_not_matter(seed: str) -> None:
    for sim in MEMBERS:
        assert _parse(sim, variant=False, seed=seed) == sim.profile


def test_real_platform_url_gives_the_same_source() -> None:
    sim = next(m for m in MEMBERS if m.slug == "jane-doe")
    main = render_hydrated(sim, today=TODAY)
    parsed = parse_linkedin(main, url="https://de.linkedin.com/in/Jane-Doe/details/skills/?x=1")
    assert parsed.source == sim.profile.source


def test_main_page_alone_shows_the_first_entries_only() -> None:
    sim = next(m for m in MEMBERS if m.slug == "hans-peter-schmidt")
    parsed = _parse(sim, variant=False, with_extras=False)
    # Five entries, one of them a company with two roles.
    assert parsed.experience == sim.profile.experience[:6]
    assert parsed.education == sim.profile.education[:3]
    assert parsed.emails == []


def test_details_and_main_items_appear_once() -> None:
    sim = next(m for m in MEMBERS if m.slug == "sam-lee-dev")
    parsed = _parse(sim, variant=False)
    assert len(parsed.languages) == 5
    assert len(parsed.skills) == len(set(parsed.skills)) == 8
    assert parsed.emails == ["sam@samlee.dev"]


def test_merge_keeps_genuine_repeats() -> None:
    assert merge_items(["a", "b", "a"], ["a", "c"]) == ["a", "b", "a", "c"]
    assert merge_items(["a"], ["a", "a"]) == ["a", "a"]


def test_grouped_roles_carry_company_and_shared_employment_type() -> None:
    sim = next(m for m in MEMBERS if m.slug == "maria-de-la-cruz")
    parsed = _parse(sim, variant=False)
    globex = [e for e in parsed.experience if e.company == "Globex Corporation"]
    assert [e.title for e in globex] == [
        "Engineering Manager",
        "Senior Software Engineer",
        "Software Engineer",
    ]
    assert {e.employment_type for e in globex} == {"Full-time"}


def test_section_headings_are_the_fallback_when_anchors_are_gone() -> None:
    sim = next(m for m in MEMBERS if m.slug == "anna-lena-von-mueller")
    main = render_hydrated(sim, today=TODAY)
    for anchor in DETAIL_SECTIONS:
        main = main.replace(f'id="{anchor}"', 'id="renamed"')
    parsed = parse_linkedin(main, url=SIM_BASE + sim.path)
    assert parsed.experience == sim.profile.experience
    assert parsed.skills == sim.profile.skills[:3]


def test_page_without_script_run_has_no_sections() -> None:
    sim = next(m for m in MEMBERS if m.slug == "jane-doe")
    parsed = parse_linkedin(render_served(sim, today=TODAY), url=SIM_BASE + sim.path)
    assert (parsed.first_name, parsed.last_name) == ("Jane", "Doe")
    assert parsed.experience == []
    assert parsed.education == []


def test_profile_without_a_name_is_a_layout_change() -> None:
    sim = next(m for m in MEMBERS if m.slug == "jane-doe")
    html = render_hydrated(sim, today=TODAY).replace("<h2", "<h4").replace("</h2>", "</h4>")
    html = re.sub(r"<title>[^<]*</title>", "", html)
    with pytest.raises(LayoutChanged):
        parse_linkedin(html, url=SIM_BASE + sim.path)
    xing = next(m for m in MEMBERS if m.platform is Platform.XING)
    html = render_hydrated(xing, today=TODAY).replace("<h1", "<h4").replace("</h1>", "</h4>")
    with pytest.raises(LayoutChanged):
        parse_xing(html.replace('data-xds="Hero"', ""), url=SIM_BASE + xing.path)


@pytest.mark.parametrize("heading", ["Experience", "Berufserfahrung"])
def test_a_section_heading_with_unreadable_items_is_named_missing(heading: str) -> None:
    html = (
        "<html><body><main><section><h1>Jane Doe</h1></section>"
        f"<section><h2>{heading}</h2><ul><li><span>unreadable</span></li></ul></section>"
        "</main></body></html>"
    )
    parsed = parse_linkedin(html, url=SIM_BASE + "/in/jane-doe/")
    assert parsed.experience == []
    assert parsed.missing_sections == ["experience"]
