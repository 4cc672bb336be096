"""LinkedIn list items: the `profile-component-entity` markup of every section.

Each entity holds its lines as doubled spans (sighted + screen-reader copy): a bold line, a
normal line, light caption lines, then a nested list of sub-components (description, skills
used, endorsements) or, for several roles at one company, nested entities per role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from sourcer.proto.records import Education, Experience, Language, YearMonth
from sourcer.simulator.classnames import Layout
from sourcer.simulator.markup import doubled, el, esc
from sourcer.simulator.model import SimProfile
from sourcer.simulator.texts import UiLanguage, format_duration, format_range, span_months, t


@dataclass(frozen=True)
class Ctx:
    """Everything a LinkedIn renderer needs besides the member."""

    sim: SimProfile
    layout: Layout
    today: date

    @property
    def lang(self) -> UiLanguage:
        return self.sim.ui_language

    def c(self, role: str) -> str:
        return self.layout.c(role)


def _company_path(company: str) -> str:
    return "/company/" + (re.sub(r"[^a-z0-9]+", "-", company.lower()).strip("-") or "x") + "/"


def _line(ctx: Ctx, role: str, text: str | None, tag: str = "span") -> str:
    if not text:
        return ""
    return el(tag, doubled(text), class_=ctx.c(role))


def _logo(ctx: Ctx, name: str | None, field: str) -> str:
    img = f'<img width="48" height="48" alt="{esc(name or "")}" class="{ctx.c("logo-img")}">'
    link = el(
        "a",
        el("div", img, class_=ctx.c("logo-frame")),
        class_=ctx.c("logo-link"),
        data_field=field,
        href=_company_path(name or "x"),
    )
    return el("div", link, class_=ctx.c("logo-col"))


def _sub_list(ctx: Ctx, items: list[str]) -> str:
    if not items:
        return ""
    lis = "".join(el("li", ctx.layout.wrap("sub-item", i), class_=ctx.c("sub-li")) for i in items)
    return el("div", el("ul", lis, class_=ctx.c("sub-ul")), class_=ctx.c("sub-components"))


def _text_block(ctx: Ctx, text: str, *, more: bool) -> str:
    button = (
        el(
            "button",
            esc(t(ctx.lang, "see_more")),
            class_=ctx.c("more-btn"),
            type="button",
            aria_expanded="false",
        )
        if more
        else ""
    )
    return el("div", doubled(text) + button, class_=ctx.c("show-more-text"))


def entity(ctx: Ctx, *, head: str, sub: list[str], logo: str = "", nested: str = "") -> str:
    """One entity; the variant build moves the logo behind the body and adds wrappers."""
    head_html = ctx.layout.wrap("entity-head", ctx.layout.variant_wrap("entity-lines", head))
    body = el("div", head_html + (nested or _sub_list(ctx, sub)), class_=ctx.c("entity-body"))
    inner = body + logo if ctx.layout.variant else logo + body
    return el("div", inner, class_=ctx.c("entity"), data_view_name="profile-component-entity")


def item(ctx: Ctx, inner: str) -> str:
    return el("li", inner, class_=ctx.c("list-item"))


def _dates(ctx: Ctx, e: Experience) -> str | None:
    return format_range(e.start, e.end, e.is_current, ctx.lang, today=ctx.today, with_duration=True)


def _location(ctx: Ctx, index: int, e: Experience) -> str | None:
    workplace = ctx.sim.workplace.get(index)
    if e.location and workplace:
        return f"{e.location} · {workplace}"
    return e.location or workplace


def _role_extras(ctx: Ctx, e: Experience) -> list[str]:
    extras = []
    if e.description:
        extras.append(_text_block(ctx, e.description, more=len(e.description) > 60))
        skills = ctx.sim.profile.skills[:2]
        if skills:
            prefix = t(ctx.lang, "skills_prefix")
            extras.append(
                el("div", doubled(f"{prefix} {' · '.join(skills)}"), class_=ctx.c("role-skills"))
            )
    return extras


def _single_role(ctx: Ctx, index: int, e: Experience) -> str:
    company_line = " · ".join(p for p in (e.company, e.employment_type) if p)
    head = (
        _line(ctx, "bold", e.title, "div")
        + _line(ctx, "normal", company_line)
        + _line(ctx, "light", _dates(ctx, e))
        + _line(ctx, "light", _location(ctx, index, e))
    )
    logo = _logo(ctx, e.company, "experience_company_logo")
    return item(ctx, entity(ctx, head=head, sub=_role_extras(ctx, e), logo=logo))


def _total(ctx: Ctx, roles: list[Experience]) -> str:
    starts = [r.start for r in roles if r.start]
    if not starts:
        return ""
    first = min(starts, key=lambda s: (s.year, s.month or 0))
    ends: list[YearMonth | None] = [None if r.is_current else r.end for r in roles]
    last = (
        None if None in ends else max((e for e in ends if e), key=lambda e: (e.year, e.month or 0))
    )
    months, years_only = span_months(first, last, ctx.today)
    return format_duration(months, years_only, ctx.lang)


def _grouped_roles(ctx: Ctx, start_index: int, roles: list[Experience]) -> str:
    kinds = {r.employment_type for r in roles}
    shared_kind = kinds.pop() if len(kinds) == 1 else None
    summary = " · ".join(p for p in (shared_kind, _total(ctx, roles)) if p)
    head = _line(ctx, "bold", roles[0].company, "div") + _line(ctx, "normal", summary)
    nested = []
    for offset, r in enumerate(roles):
        lines = (
            _line(ctx, "bold", r.title, "div")
            + ("" if shared_kind else _line(ctx, "normal", r.employment_type))
            + _line(ctx, "light", _dates(ctx, r))
            + _line(ctx, "light", _location(ctx, start_index + offset, r))
        )
        spacer = el("div", "", class_=ctx.c("nested-spacer"))
        nested.append(item(ctx, entity(ctx, head=lines, sub=_role_extras(ctx, r), logo=spacer)))
    nested_html = el(
        "div", el("ul", "".join(nested), class_=ctx.c("sub-ul")), class_=ctx.c("sub-components")
    )
    logo = _logo(ctx, roles[0].company, "experience_company_logo")
    return item(ctx, entity(ctx, head=head, sub=[], logo=logo, nested=nested_html))


def experience_items(ctx: Ctx, roles: list[Experience]) -> list[str]:
    """One `li` per company stint: consecutive roles at one company are grouped."""
    items: list[str] = []
    index = 0
    for company, run in groupby(roles, key=lambda r: r.company):
        block = list(run)
        if company is not None and len(block) > 1:
            items.append(_grouped_roles(ctx, index, block))
        else:
            items.extend(_single_role(ctx, index + i, r) for i, r in enumerate(block))
        index += len(block)
    return items


def education_items(ctx: Ctx, entries: list[Education]) -> list[str]:
    items = []
    for e in entries:
        degree_line = ", ".join(p for p in (e.degree, e.field) if p)
        dates = format_range(e.start, e.end, False, ctx.lang, today=ctx.today, with_duration=False)
        head = (
            _line(ctx, "bold", e.school, "div")
            + _line(ctx, "normal", degree_line)
            + _line(ctx, "light", dates)
        )
        logo = _logo(ctx, e.school, "education_school_logo")
        items.append(item(ctx, entity(ctx, head=head, sub=[], logo=logo)))
    return items


def skill_items(ctx: Ctx, skills: list[str]) -> list[str]:
    items = []
    for name in skills:
        count = sum(map(ord, name)) % 40
        sub = [el("div", doubled(t(ctx.lang, "endorsements", n=count)), class_=ctx.c("endorse"))]
        head = _line(ctx, "bold", name, "div")
        items.append(item(ctx, entity(ctx, head=head, sub=sub if count else [])))
    return items


def language_items(ctx: Ctx, languages: list[Language]) -> list[str]:
    return [
        item(
            ctx,
            entity(
                ctx,
                head=_line(ctx, "bold", lg.name, "div") + _line(ctx, "light", lg.proficiency),
                sub=[],
            ),
        )
        for lg in languages
    ]


def certification_items(ctx: Ctx) -> list[str]:
    items = []
    for index, (name, issuer) in enumerate(ctx.sim.certifications):
        issued = t(ctx.lang, "issued", date=f"{2018 + index}")
        head = (
            _line(ctx, "bold", name, "div")
            + _line(ctx, "normal", issuer)
            + _line(ctx, "light", issued)
        )
        logo = _logo(ctx, issuer, "certification_logo")
        items.append(item(ctx, entity(ctx, head=head, sub=[], logo=logo)))
    return items
