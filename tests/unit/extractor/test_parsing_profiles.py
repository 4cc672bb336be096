"""Every built-in simulated member parses back to exactly its expected profile."""

from datetime import date

import pytest

from sourcer.extractor.parsing import LayoutChanged, parse_linkedin, parse_xing
from sourcer.extractor.parsing.linkedin import merge_items
from sourcer.proto.records import Platform, Profile
from sourcer.simulator import SimProfile, builtin_profiles, render_hydrated, render_served
from sourcer.simulator.linkedin_pages import DETAIL_SECTIONS

pytestmark = pytest.mark.unit

TODAY = date(2025, 6, 15)
SIM_BASE = "http://127.0.0.1:8600"
MEMBERS = [m for m in builtin_profiles() if not m.private]


def _parse(
    sim: SimProfile, *, variant: bool, seed: str = "unit", with_extras: bool = True
) -> Profile:
    url = SIM_BASE + sim.path
    main = render_hydrated(sim, layout_variant=variant, seed=seed, today=TODAY)
    if sim.platform is Platform.XING:
        return parse_xing(main, url=url)
    details = None
    contact = None
    if with_extras:
        details = {
            s: render_hydrated(
                sim, "details", section=s, layout_variant=variant, seed=seed, today=TODAY
            )
            for s in DETAIL_SECTIONS
        }
        contact = render_hydrated(sim, "contact", layout_variant=variant, seed=seed, today=TODAY)
    return parse_linkedin(main, details=details, contact_html=contact, url=url)


@pytest.mark.parametrize("variant", [False, True], ids=["standard", "layout_variant"])
@pytest.mark.parametrize("sim", MEMBERS, ids=[m.slug for m in MEMBERS])
def test_parses_exactly_the_expected_profile(sim: SimProfile, variant: bool) -> None:
    assert _parse(sim, variant=variant) == sim.profile


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
    html = render_hydrated(sim, today=TODAY).replace("<h1", "<h4").replace("</h1>", "</h4>")
    with pytest.raises(LayoutChanged):
        parse_linkedin(html, url=SIM_BASE + sim.path)
    xing = next(m for m in MEMBERS if m.platform is Platform.XING)
    html = render_hydrated(xing, today=TODAY).replace('data-qa="profile-name"', "")
    with pytest.raises(LayoutChanged):
        parse_xing(html, url=SIM_BASE + xing.path)


def test_cards_without_any_anchor_are_a_layout_change() -> None:
    sim = next(m for m in MEMBERS if m.slug == "jane-doe")
    html = render_hydrated(sim, today=TODAY)
    for anchor in ("about", *DETAIL_SECTIONS):
        html = html.replace(f'id="{anchor}"', "")
    html = html.replace("<h2", "<h3").replace("</h2>", "</h3>")
    with pytest.raises(LayoutChanged):
        parse_linkedin(html, url=SIM_BASE + sim.path)
