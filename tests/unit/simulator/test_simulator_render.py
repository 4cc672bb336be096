# ruff: noqa: RUF001 - platforms print en dashes and typographic apostrophes
"""What the simulated pages show: wording, captions, "Show all", class names, the catalog."""

import re
from dataclasses import replace
from datetime import date

import pytest
from selectolax.lexbor import LexborHTMLParser

from sourcer.proto.records import Platform
from sourcer.simulator import (
    ProfileCatalog,
    SimProfile,
    builtin_profiles,
    render_hydrated,
    simulator_url_for,
)
from sourcer.simulator.model import job, member, school, ym
from sourcer.simulator.texts import format_range

pytestmark = pytest.mark.unit

TODAY = date(2024, 8, 20)
CATALOG = ProfileCatalog.builtin()


def _sim(slug: str) -> SimProfile:
    """A member in the 2024 LinkedIn markup these tests describe (Xing members as they are)."""
    sim = CATALOG.find(slug)
    assert sim is not None
    return replace(sim, layout="entity-2024") if sim.platform is Platform.LINKEDIN else sim


def _tree(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


def test_catalog_covers_the_shapes_extraction_must_handle() -> None:
    members = builtin_profiles()
    assert len(members) >= 14
    shown = {m.display_name for m in members}
    for name in [
        "Dr. Anna-Lena von Müller",
        "Prof. Dr. Hans Peter Schmidt",
        "Jane Doe, MBA",
        "María de la Cruz",
        "Jan van der Berg",
        "Sam Lee (they/them)",
        "Chris 🚀 Baker",
    ]:
        assert name in shown
    public = [m for m in members if not m.private]
    assert any(len(m.profile.experience) >= 9 for m in public)
    assert any(not m.profile.emails for m in public)
    assert any(m.ui_language == "de" and m.platform is Platform.LINKEDIN for m in public)
    assert any(not m.profile.education and not m.profile.skills for m in public)
    assert any(m.private and m.platform is Platform.LINKEDIN for m in members)
    assert sum(m.platform is Platform.XING for m in public) >= 3
    assert any(m.platform is Platform.XING and m.ui_language == "de" for m in public)
    assert any(len(m.profile.languages) >= 5 for m in public)
    assert any(e.start and e.start.month is None for m in public for e in m.profile.experience)
    for m in members:
        host = (
            "https://www.linkedin.com/in/"
            if m.platform is Platform.LINKEDIN
            else ("https://www.xing.com/profile/")
        )
        assert m.profile.source.profile_url.startswith(host)


def test_simulator_url_for() -> None:
    base = "http://127.0.0.1:8600/"
    assert simulator_url_for("https://www.linkedin.com/in/jane-doe/", base) == (
        "http://127.0.0.1:8600/in/jane-doe/"
    )
    assert simulator_url_for("https://de.linkedin.com/in/x/?a=1", base) == (
        "http://127.0.0.1:8600/in/x/?a=1"
    )
    assert simulator_url_for("https://www.xing.com/profile/Thomas_Mueller", base) == (
        "http://127.0.0.1:8600/profile/Thomas_Mueller"
    )
    with pytest.raises(ValueError):
        simulator_url_for("https://evil.example/in/x/", base)


def test_date_captions_in_both_languages() -> None:
    assert format_range(ym(2021, 7), None, True, "en", today=TODAY, with_duration=True) == (
        "Jul 2021 - Present · 3 yrs 2 mos"
    )
    assert format_range(ym(2021, 7), None, True, "de", today=TODAY, with_duration=True) == (
        "Juli 2021 – Heute · 3 Jahre 2 Monate"
    )
    assert (
        format_range(ym(2018, 3), ym(2019, 12), False, "de", today=TODAY, with_duration=True)
        == "März 2018 – Dez. 2019 · 1 Jahr 10 Monate"
    )
    assert format_range(ym(2015), ym(2018), False, "en", today=TODAY, with_duration=True) == (
        "2015 - 2018 · 3 yrs"
    )
    assert format_range(ym(2010), ym(2014), False, "en", today=TODAY, with_duration=False) == (
        "2010 - 2014"
    )


def test_durations_follow_the_configured_today() -> None:
    sim = _sim("jane-doe")
    assert "3 yrs 2 mos" in render_hydrated(sim, today=TODAY)
    assert "4 yrs 2 mos" in render_hydrated(sim, today=date(2025, 8, 20))


def test_german_ui() -> None:
    html = render_hydrated(_sim("anna-lena-von-mueller"), today=TODAY)
    headings = {n.text() for n in _tree(html).css('h2 span[aria-hidden="true"]')}
    assert {"Berufserfahrung", "Ausbildung", "Kenntnisse", "Sprachen", "Info"} <= headings
    assert "Vollzeit" in html and "Heute" in html
    assert "Alle 5 Kenntnisse anzeigen" in html


def test_show_all_links_cut_long_sections() -> None:
    sim = _sim("hans-peter-schmidt")
    tree = _tree(render_hydrated(sim, today=TODAY))
    link = tree.css_first("a#navigation-index-see-all-experiences")
    assert link is not None
    assert link.attributes["href"] == "/in/hans-peter-schmidt/details/experience/"
    assert link.text().strip() == "Alle 9 Berufserfahrungen anzeigen"
    anchor = tree.css_first("div#experience")
    assert anchor is not None
    experience = anchor.parent
    assert experience is not None and experience.tag == "section"
    first_list = experience.css("ul")[0]
    top_level = [n for n in first_list.iter() if n.tag == "li"]
    assert len(top_level) == 5
    assert tree.css_first("a#navigation-index-see-all-education") is not None
    details = _tree(render_hydrated(sim, "details", section="experience", today=TODAY))
    assert details.css_first("a[id^=navigation-index-see-all]") is None
    assert len(details.css('main [data-view-name="profile-component-entity"]')) == 10


def test_each_text_appears_twice_for_sighted_and_screen_reader_users() -> None:
    tree = _tree(render_hydrated(_sim("jane-doe"), today=TODAY))
    entity = tree.css_first('div[data-view-name="profile-component-entity"]')
    assert entity is not None
    shown = [n.text() for n in entity.css('span[aria-hidden="true"]')]
    hidden = [n.text() for n in entity.css("span.visually-hidden")]
    assert shown == hidden and shown[0] == "Head of Talent Acquisition"


def _classes(html: str) -> set[str]:
    return {c for value in re.findall(r'class="([^"]*)"', html) for c in value.split()}


def test_class_names_change_with_the_build_and_the_layout_variant() -> None:
    sim = _sim("maria-de-la-cruz")
    one = render_hydrated(sim, seed="build-1", today=TODAY)
    again = render_hydrated(sim, seed="build-1", today=TODAY)
    two = render_hydrated(sim, seed="build-2", today=TODAY)
    variant = render_hydrated(sim, seed="build-1", layout_variant=True, today=TODAY)
    assert one == again
    stable = {"visually-hidden"}
    assert (_classes(one) & _classes(two)) <= stable
    assert (_classes(one) & _classes(variant)) <= stable

    def depth(html: str) -> int:
        node = _tree(html).css_first('div[data-view-name="profile-component-entity"] span')
        count = 0
        while node is not None:
            node, count = node.parent, count + 1
        return count

    assert depth(variant) > depth(one)


def test_contact_overlay_shows_shared_emails_only() -> None:
    shared = _tree(render_hydrated(_sim("jane-doe"), "contact", today=TODAY))
    mails = [a.attributes["href"] for a in shared.css("[role=dialog] a[href^='mailto:']")]
    assert mails == ["mailto:Jane.Doe@Example.org"]
    hidden = _tree(render_hydrated(_sim("hans-peter-schmidt"), "contact", today=TODAY))
    assert hidden.css("a[href^='mailto:']") == []
    assert hidden.css_first("#pv-contact-info") is not None


def test_members_must_be_renderable_exactly() -> None:
    ok = member(
        Platform.LINKEDIN, "x", "X Y", first="X", last="Y", experience=[job("T", "C", ym(2020, 1))]
    )
    assert ok.profile.experience[0].is_current
    with pytest.raises(ValueError, match="contact emails"):
        replace(ok, contact_emails=("x@y.example",))
    with pytest.raises(ValueError, match="employment type but no company"):
        member(
            Platform.LINKEDIN,
            "x",
            "X",
            first="X",
            last=None,
            experience=[job("T", None, ym(2020), kind="Full-time")],
        )
    with pytest.raises(ValueError, match="no degree"):
        member(
            Platform.LINKEDIN,
            "x",
            "X",
            first="X",
            last=None,
            education=[school("S", None, "Physics")],
        )
