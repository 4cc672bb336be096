"""LinkedIn's 2025-26 "flagship-web" profile: server-driven cards, hashed classes, lazy cards.

Modelled on public descriptions of today's page (no saved page of it was available): cards
carry `componentkey="com.linkedin.sdui.profile.card.ref<memberId><Card>"` (`Topcard`, `About`,
`ExperienceTopLevelSection`, ...), the name is the top card's `h2`, then `<p>` lines (connection
degree, headline, location, "Contact info", then current company and school); items are
`componentkey="entity-collection-item-<n>"` blocks of `<p>` lines, several roles at one company a
nested `ul`; skills are `com.linkedin.sdui.profile.skill(...)` items. Only the top card and About
are in the served page: the other cards load into `profileCards…` containers as they scroll
into view (`Page.lazy`).
"""

from __future__ import annotations

from sourcer.proto.records import Education, Experience, Language
from sourcer.simulator.hydration import Page
from sourcer.simulator.linkedin_items import Ctx, _dates, _location, _total
from sourcer.simulator.linkedin_pages import MAIN_PAGE_LIMITS
from sourcer.simulator.linkedin_shell import _member_id
from sourcer.simulator.markup import el, esc
from sourcer.simulator.texts import format_range, t

# Which lazily loaded container holds which cards, as the real page groups them.
CONTAINERS = {
    "profileCardsBelowActivityPart1": ("experience", "education"),
    "profileCardsBelowActivityPart7": ("skills",),
    "profileCardsBelowActivityPart4": ("languages",),
}
_CARD_KEYS = {
    "experience": "ExperienceTopLevelSection",
    "education": "EducationTopLevelSection",
    "skills": "Skills",
    "languages": "Languages",
}


def _p(ctx: Ctx, text: str | None, role: str = "fw-line") -> str:
    return el("p", el("span", esc(text)), class_=ctx.c(role)) if text else ""


def _key(ctx: Ctx, card: str) -> str:
    return f"com.linkedin.sdui.profile.card.ref{_member_id(ctx.sim.slug)}{card}"


def _item(ctx: Ctx, n: int, inner: str, key: str = "entity-collection-item") -> str:
    logo = el("a", el("figure", "", aria_hidden="true"), href="#", class_=ctx.c("fw-logo"))
    return el("div", logo + inner, componentkey=f"{key}-{n}", class_=ctx.c("fw-item"))


def _extras(ctx: Ctx, e: Experience) -> str:
    if not e.description:
        return ""
    text = el("span", esc(e.description), data_testid="expandable-text-box")
    out = el("div", el("p", text), class_=ctx.c("fw-desc"))
    skills = ctx.sim.profile.skills[:2]
    if skills:
        out += _p(ctx, f"{t(ctx.lang, 'skills_prefix')} {' · '.join(skills)}")
    return out


def _role_lines(ctx: Ctx, index: int, e: Experience, *, grouped: bool) -> str:
    company = None if grouped else " · ".join(p for p in (e.company, e.employment_type) if p)
    kind = e.employment_type if grouped else None
    lines = (
        _p(ctx, e.title)
        + _p(ctx, company)
        + _p(ctx, kind)
        + _p(ctx, _dates(ctx, e))
        + _p(ctx, _location(ctx, index, e))
    )
    return el("div", lines, class_=ctx.c("fw-lines")) + _extras(ctx, e)


def experience_items(ctx: Ctx, roles: list[Experience]) -> list[str]:
    items: list[str] = []
    index = 0
    while index < len(roles):
        run = [roles[index]]
        while (
            index + len(run) < len(roles)
            and roles[index].company is not None
            and roles[index + len(run)].company == roles[index].company
        ):
            run.append(roles[index + len(run)])
        if len(run) == 1:
            inner = _role_lines(ctx, index, run[0], grouped=False)
        else:
            summary = _total(ctx, run)
            head = _p(ctx, run[0].company) + _p(ctx, summary)
            lis = "".join(
                el("li", _role_lines(ctx, index + i, r, grouped=True), class_=ctx.c("fw-li"))
                for i, r in enumerate(run)
            )
            inner = el("div", head, class_=ctx.c("fw-lines")) + el("ul", lis)
        items.append(_item(ctx, len(items), inner))
        index += len(run)
    return items


def education_items(ctx: Ctx, entries: list[Education]) -> list[str]:
    out = []
    for n, e in enumerate(entries):
        dates = format_range(e.start, e.end, False, ctx.lang, today=ctx.today, with_duration=False)
        degree = ", ".join(p for p in (e.degree, e.field) if p)
        lines = _p(ctx, e.school) + _p(ctx, degree) + _p(ctx, dates)
        out.append(_item(ctx, n, el("div", lines, class_=ctx.c("fw-lines"))))
    return out


def skill_items(ctx: Ctx, skills: list[str]) -> list[str]:
    out = []
    for n, name in enumerate(skills):
        count = sum(map(ord, name)) % 40
        lines = _p(ctx, name) + (_p(ctx, t(ctx.lang, "endorsements", n=count)) if count else "")
        out.append(_item(ctx, n, lines, key=f"com.linkedin.sdui.profile.skill({n})"))
    return out


def language_items(ctx: Ctx, languages: list[Language]) -> list[str]:
    return [
        _item(ctx, n, _p(ctx, lg.name) + _p(ctx, lg.proficiency)) for n, lg in enumerate(languages)
    ]


def section_items(ctx: Ctx, section: str) -> list[str]:
    p = ctx.sim.profile
    if section == "experience":
        return experience_items(ctx, p.experience)
    if section == "education":
        return education_items(ctx, p.education)
    if section == "skills":
        return skill_items(ctx, p.skills)
    return language_items(ctx, p.languages)


def _card(ctx: Ctx, section: str, items: list[str], total: int) -> str:
    limit = MAIN_PAGE_LIMITS[section]
    footer = ""
    if len(items) > limit:
        footer = el(
            "a",
            esc(t(ctx.lang, f"see_all_{section}", n=total)),
            href=f"/in/{ctx.sim.slug}/details/{section}/",
            componentkey=f"{ctx.sim.slug}_{section}_showAll",
            class_=ctx.c("fw-show-all"),
        )
    head = el("div", el("h2", esc(t(ctx.lang, section))), class_=ctx.c("fw-head"))
    body = el("div", "".join(items[:limit]), class_=ctx.c("fw-body"))
    return el(
        "section", head + body + footer, componentkey=_key(ctx, _CARD_KEYS[section]),
        class_=ctx.c("fw-card"),
    )  # fmt: skip


def top_card(ctx: Ctx) -> str:
    sim, p = ctx.sim, ctx.sim.profile
    contact = el(
        "a", esc(t(ctx.lang, "contact_info")), href=f"/in/{sim.slug}/overlay/contact-info/"
    )
    current = [e.company for e in p.experience if e.is_current and e.company][:1]
    schools = [e.school for e in p.education][:1]
    body = (
        el("div", el("h2", esc(sim.display_name)), class_=ctx.c("fw-name"))
        + _p(ctx, "· 2nd")
        + _p(ctx, p.headline)
        + _p(ctx, p.location)
        + el("p", contact, class_=ctx.c("fw-line"))
        + "".join(_p(ctx, c, "fw-company") for c in current + schools)
        + _p(ctx, t(ctx.lang, "connections"))
    )
    photo = el("figure", el("img", "", alt=sim.display_name), class_=ctx.c("fw-photo"))
    return el(
        "section", photo + el("div", body), componentkey=_key(ctx, "Topcard"),
        class_=ctx.c("fw-topcard"),
    )  # fmt: skip


def _about(ctx: Ctx) -> str:
    if not ctx.sim.about:
        return ""
    text = el("span", esc(ctx.sim.about), data_testid="expandable-text-box")
    head = el("div", el("h2", esc(t(ctx.lang, "about"))), class_=ctx.c("fw-head"))
    return el("section", head + el("p", text), componentkey=_key(ctx, "About"))


def profile_page(ctx: Ctx) -> Page:
    lazy: dict[str, str] = {}
    for container, sections in CONTAINERS.items():
        cards = []
        for section in sections:
            items = section_items(ctx, section)
            if items:
                cards.append(_card(ctx, section, items, _total_of(ctx, section)))
        if cards:  # a member without such cards gets no container for them
            lazy[container] = "".join(cards)
    placeholders = "".join(
        el("div", "", id=name, componentkey=f"com.linkedin.sdui.generated.profile.{name}")
        for name in lazy
    )
    # Tall enough that the lazy containers start below the fold, as on the real page.
    spacer = el("div", "", style="min-height:1400px", class_=ctx.c("fw-activity"))
    main = top_card(ctx) + _about(ctx) + spacer + placeholders
    before = f'<div class="{ctx.c("fw-app")}"><main id="workspace" class="{ctx.c("fw-main")}">'
    return Page(
        title=f"{ctx.sim.display_name} | LinkedIn",
        lang=ctx.lang,
        before=before + main,
        fragment="",
        after="</main></div>",
        target="main#workspace",
        body_class=ctx.c("body"),
        lazy=lazy,
    )


def _total_of(ctx: Ctx, section: str) -> int:
    return len(getattr(ctx.sim.profile, section))


def details_page(ctx: Ctx, section: str) -> Page:
    head = el("div", el("h2", esc(t(ctx.lang, section))), class_=ctx.c("fw-head"))
    before = (
        f'<div class="{ctx.c("fw-app")}"><main id="workspace" class="{ctx.c("fw-main")}">'
        f'<section componentkey="{_key(ctx, _CARD_KEYS[section].replace("TopLevelSection", ""))}'
        f'Details">{head}<div class="{ctx.c("fw-details")}">'
    )
    return Page(
        title=f"{ctx.sim.display_name} | LinkedIn",
        lang=ctx.lang,
        before=before,
        fragment="".join(section_items(ctx, section)),
        after="</div></section></main></div>",
        target=f"div.{ctx.c('fw-details').split()[0]}",
        body_class=ctx.c("body"),
    )
