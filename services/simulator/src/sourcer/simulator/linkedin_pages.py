"""LinkedIn pages of a member: the profile with its cards, and the details subpages."""

from __future__ import annotations

from sourcer.simulator.hydration import Page
from sourcer.simulator.linkedin_items import (
    Ctx,
    certification_items,
    education_items,
    experience_items,
    language_items,
    skill_items,
)
from sourcer.simulator.linkedin_shell import aside, first_class, shell, top_card
from sourcer.simulator.markup import doubled, el, esc
from sourcer.simulator.texts import t

# Items on the main page before a "Show all" link takes over.
MAIN_PAGE_LIMITS = {"experience": 5, "education": 3, "skills": 3, "languages": 3}
DETAIL_SECTIONS = ("experience", "education", "skills", "languages")

_SEE_ALL_IDS = {
    "experience": "navigation-index-see-all-experiences",
    "education": "navigation-index-see-all-education",
    "skills": "navigation-index-see-all-skills",
    "languages": "navigation-index-see-all-languages",
}


def _heading(ctx: Ctx, text: str) -> str:
    h2 = el("h2", doubled(text), class_=ctx.c("section-title"))
    return el("div", ctx.layout.wrap("section-head", h2), class_=ctx.c("section-header"))


def card(ctx: Ctx, anchor: str, items: list[str], *, total: int, limit: int | None) -> str:
    """A profile card: anchor, doubled heading, list, and "Show all" when cut short."""
    shown = items if limit is None else items[:limit]
    ul = el("ul", "".join(shown), class_=ctx.c("card-list"))
    footer = ""
    if limit is not None and len(items) > limit:
        label = el("span", esc(t(ctx.lang, f"see_all_{anchor}", n=total)), class_=ctx.c("see-all"))
        link = el(
            "a",
            label,
            id=_SEE_ALL_IDS[anchor],
            target="_self",
            href=f"/in/{ctx.sim.slug}/details/{anchor}/",
            class_=ctx.c("see-all-link"),
        )
        footer = el(
            "div", el("div", link, class_=ctx.c("footer-inner")), class_=ctx.c("card-footer")
        )
    body = (
        el("div", "", id=anchor, class_=ctx.c("card-anchor"))
        + _heading(ctx, t(ctx.lang, anchor))
        + el("div", ctx.layout.variant_wrap("card-list-wrap", ul), class_=ctx.c("card-list-outer"))
        + footer
    )
    return el("section", body, class_=ctx.c("card"), data_view_name="profile-card")


def _about_card(ctx: Ctx) -> str:
    text = ctx.sim.about or ""
    block = el("div", doubled(text), class_=ctx.c("show-more-text"))
    body = el("div", "", id="about", class_=ctx.c("card-anchor")) + _heading(
        ctx, t(ctx.lang, "about")
    )
    body += el("div", block, class_=ctx.c("about-body"))
    return el("section", body, class_=ctx.c("card"), data_view_name="profile-card")


def section_items(ctx: Ctx, section: str) -> list[str]:
    p = ctx.sim.profile
    if section == "experience":
        return experience_items(ctx, p.experience)
    if section == "education":
        return education_items(ctx, p.education)
    if section == "skills":
        return skill_items(ctx, p.skills)
    return language_items(ctx, p.languages)


def _section_total(ctx: Ctx, section: str) -> int:
    p = ctx.sim.profile
    sizes = {
        "experience": len(p.experience),
        "education": len(p.education),
        "skills": len(p.skills),
        "languages": len(p.languages),
    }
    return sizes[section]


def profile_page(ctx: Ctx) -> Page:
    sim = ctx.sim
    cards = []
    if sim.about:
        cards.append(_about_card(ctx))
    for section in ("experience", "education"):
        items = section_items(ctx, section)
        if items:
            cards.append(
                card(
                    ctx,
                    section,
                    items,
                    total=_section_total(ctx, section),
                    limit=MAIN_PAGE_LIMITS[section],
                )
            )
    if sim.certifications:
        cards.append(
            card(
                ctx,
                "licenses_and_certifications",
                certification_items(ctx),
                total=len(sim.certifications),
                limit=None,
            )
        )
    for section in ("skills", "languages"):
        items = section_items(ctx, section)
        if items:
            cards.append(
                card(
                    ctx,
                    section,
                    items,
                    total=_section_total(ctx, section),
                    limit=MAIN_PAGE_LIMITS[section],
                )
            )
    before, after, target = shell(ctx, top_card(ctx), aside=aside(ctx))
    return Page(
        title=f"{sim.display_name} | LinkedIn",
        lang=ctx.lang,
        before=before,
        fragment="".join(cards),
        after=after,
        target=target,
        body_class=ctx.c("body"),
    )


def details_page(ctx: Ctx, section: str) -> Page:
    """A details subpage: the whole list of one section, same item markup as the profile."""
    sim, lay = ctx.sim, ctx.layout
    back = el(
        "a", "", href=f"/in/{sim.slug}/", aria_label=t(ctx.lang, "back"), class_=ctx.c("back-link")
    )
    head = el(
        "div",
        back + el("h2", doubled(t(ctx.lang, section)), class_=ctx.c("details-title")),
        class_=ctx.c("details-head"),
    )
    tabs = ""
    if section == "skills":
        names = ("All", "Industry Knowledge", "Tools & Technologies")
        if ctx.lang == "de":
            names = ("Alle", "Branchenkenntnisse", "Tools & Technologien")
        tabs = el(
            "div",
            "".join(
                el(
                    "button",
                    esc(n),
                    role="tab",
                    type="button",
                    class_=ctx.c("tab"),
                    aria_selected="true" if i == 0 else "false",
                )
                for i, n in enumerate(names)
            ),
            role="tablist",
            class_=ctx.c("tabs"),
        )
    list_cls = ctx.c("details-list")
    open_list = f'<div class="{ctx.c("details-outer")}"><ul class="{list_cls}">'
    before_main, after_main, _ = shell(ctx, "")
    before = before_main + f'<section class="{ctx.c("details-card")}">' + head + tabs
    before += lay.variant_wrap("details-pre", "") + open_list
    after = "</ul></div></section>" + after_main
    return Page(
        title=f"{sim.display_name} | LinkedIn",
        lang=ctx.lang,
        before=before,
        fragment="".join(section_items(ctx, section)),
        after=after,
        target=f"ul{first_class(list_cls)}",
        body_class=ctx.c("body"),
    )
