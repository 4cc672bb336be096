"""Page rendering for both platforms, as served and as the browser ends up with it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Literal

from sourcer.proto.records import Platform
from sourcer.simulator import linkedin_flagship as flagship
from sourcer.simulator.classnames import Layout
from sourcer.simulator.hydration import Page, hydrated_html, served_html
from sourcer.simulator.linkedin_items import Ctx
from sourcer.simulator.linkedin_overlay import contact_page, private_page
from sourcer.simulator.linkedin_pages import DETAIL_SECTIONS, details_page, profile_page
from sourcer.simulator.linkedin_voyager import code_blocks
from sourcer.simulator.model import SimProfile
from sourcer.simulator.xing_pages import xing_private_page, xing_profile_page


def anchored_2022(page: Page, sim: SimProfile) -> Page:
    """The logged-in layout of 2022: the 2024 markup before items got `data-view-name`, with
    the profile's API data embedded in `<code>` blocks."""
    bare = page.fragment.replace(' data-view-name="profile-component-entity"', "")
    return replace(page, fragment=bare, after=page.after + code_blocks(sim))


PageName = Literal["profile", "details", "contact"]
DEFAULT_SEED = "sourcer-simulator"
# Markup generations the simulator serves; the first of each is the platform's default.
LINKEDIN_LAYOUTS = ("flagship-2025", "entity-2024", "anchored-2022")
XING_LAYOUTS = ("modules-2023", "legacy-2020", "public-crate")


def layout_of(sim: SimProfile) -> str:
    layouts = XING_LAYOUTS if sim.platform is Platform.XING else LINKEDIN_LAYOUTS
    if sim.layout is None:
        return layouts[0]
    if sim.layout not in layouts:
        raise ValueError(f"{sim.slug}: unknown layout {sim.layout!r}; one of {layouts}")
    return sim.layout


class Renderer:
    """Renders members' pages for one front-end build (seed) and one notion of today."""

    def __init__(self, *, seed: str = DEFAULT_SEED, today: date | None = None) -> None:
        self.seed = seed
        self._today = today

    @property
    def today(self) -> date:
        return self._today or date.today()

    def layout(self, variant: bool) -> Layout:
        return Layout(self.seed, variant)

    def page(
        self,
        sim: SimProfile,
        name: PageName = "profile",
        *,
        section: str | None = None,
        variant: bool = False,
        private: bool = False,
    ) -> Page:
        layout = self.layout(variant)
        generation = layout_of(sim)
        if sim.platform is Platform.XING:
            if name != "profile":
                raise ValueError("Xing members have only a profile page")
            if private or sim.private:
                return xing_private_page(sim, layout)
            return xing_profile_page(sim, layout, generation=generation, today=self.today)
        ctx = Ctx(sim=sim, layout=layout, today=self.today)
        if private or sim.private:
            return private_page(ctx)
        if name == "contact":
            return contact_page(ctx)
        if name == "details" and section not in DETAIL_SECTIONS:
            raise ValueError(f"unknown details section {section!r}")
        if generation == "flagship-2025":
            if name == "details":
                return flagship.details_page(ctx, section or "")
            return flagship.profile_page(ctx)
        page = details_page(ctx, section or "") if name == "details" else profile_page(ctx)
        if generation == "anchored-2022":
            return anchored_2022(page, sim)
        return page


def render_hydrated(
    sim: SimProfile,
    page: PageName = "profile",
    *,
    section: str | None = None,
    layout_variant: bool = False,
    seed: str = DEFAULT_SEED,
    today: date | None = None,
) -> str:
    """The DOM the browser holds once the inline script has inserted the sections.

    For Xing this is the page after the consent dialog was accepted.
    """
    renderer = Renderer(seed=seed, today=today)
    return hydrated_html(renderer.page(sim, page, section=section, variant=layout_variant))


def render_served(
    sim: SimProfile,
    page: PageName = "profile",
    *,
    section: str | None = None,
    layout_variant: bool = False,
    seed: str = DEFAULT_SEED,
    today: date | None = None,
    delay_ms: int = 50,
) -> str:
    """What the server sends before any script ran (with the consent dialog on Xing)."""
    renderer = Renderer(seed=seed, today=today)
    built = renderer.page(sim, page, section=section, variant=layout_variant)
    return served_html(built, delay_ms=delay_ms)
