"""Older Xing markup generations the simulator can serve besides today's modules.

- `legacy-2020`: the logged-in page before the module redesign, as open-source scrapers read it:
  `data-qa="timeline-section"` with `li[data-qa="we-entry"]` / `li[data-qa="education-entry"]`
  (occupation in an `h4`, organisation, a time line), `data-qa="skills-section"` with
  `data-qa="skills-tags"`, `data-qa="language-skills-section"` with `h3` + level.
- `public-crate`: the public page whose content comes from the Apollo state in
  `window.crate = {...}`, a JavaScript literal (unquoted keys, single quotes); the DOM holds no
  profile until that state is rendered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sourcer.proto.records import YearMonth
from sourcer.simulator.markup import el, esc

if TYPE_CHECKING:
    from sourcer.simulator.xing_pages import _Xing


def _time(x: _Xing, start: YearMonth | None, end: YearMonth | None, current: bool) -> str:
    from sourcer.simulator.xing_pages import xing_range

    caption = xing_range(start, end, current, x.lang)
    return el("div", el("p", esc(caption)), class_=x.c("entry-time")) if caption else ""


def legacy_fragment(x: _Xing) -> str:
    p = x.sim.profile
    head = el("h1", esc(x.sim.display_name), class_=x.c("name"))
    if p.headline:
        head += el("div", el("p", esc(p.headline)), class_=x.c("occupation"))
    if p.location:
        head += el("div", el("p", esc(p.location)), class_=x.c("location"))
    parts = [el("div", head, class_=x.c("xing-id-container"))]
    jobs = "".join(
        el(
            "li",
            el("h4", esc(e.title))
            + (el("a", esc(e.company), href="#") if e.company else "")
            + (el("p", esc(e.employment_type)) if e.employment_type else "")
            + _time(x, e.start, e.end, e.is_current)
            + (el("p", esc(e.location)) if e.location else "")
            + (el("p", esc(e.description), class_=x.c("description")) if e.description else ""),
            data_qa="we-entry",
        )
        for e in p.experience
    )
    schools = "".join(
        el(
            "li",
            el("h4", esc(", ".join(v for v in (e.degree, e.field) if v) or e.school))
            + (el("p", esc(e.school)) if (e.degree or e.field) else "")
            + _time(x, e.start, e.end, False),
            data_qa="education-entry",
        )
        for e in p.education
    )
    timeline = ""
    if jobs:
        timeline += el("h2", esc(x.tx("experience"))) + el("ul", jobs)
    if schools:
        timeline += el("h2", esc(x.tx("education"))) + el("ul", schools)
    if timeline:
        parts.append(el("div", timeline, data_qa="timeline-section"))
    if p.skills:
        tags = "".join(el("div", esc(s), data_qa="skills-tags") for s in p.skills)
        parts.append(el("div", el("h2", esc(x.tx("skills"))) + tags, data_qa="skills-section"))
    if p.languages:
        lis = "".join(
            el("li", el("h3", esc(lg.name)) + el("p", esc(lg.proficiency or "")))
            for lg in p.languages
        )
        parts.append(
            el(
                "div",
                el("h2", esc(x.tx("languages"))) + el("ul", lis),
                data_qa="language-skills-section",
            )
        )
    parts.append(x.contact())
    return el("div", "".join(parts), class_=x.c("profile-view"))


def _js(value: object) -> str:
    """A JavaScript literal as bundlers print it: unquoted keys, single-quoted strings."""
    if value is None:
        return "undefined"
    if isinstance(value, bool):
        return "!0" if value else "!1"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace("'", "\\'").replace("<", "\\u003c")
        return f"'{escaped}'"
    if isinstance(value, list):
        return "[" + ",".join(_js(v) for v in value) + "]"
    assert isinstance(value, dict)
    items = []
    for key, item in value.items():
        name = key if key.isidentifier() else _js(key)
        items.append(f"{name}:{_js(item)}")
    return "{" + ",".join(items) + "}"


def _ym(value: YearMonth | None) -> str | None:
    if value is None:
        return None
    return f"{value.year}-{value.month:02d}" if value.month else str(value.year)


def crate_fragment(x: _Xing) -> str:
    p, slug = x.sim.profile, x.sim.slug
    city, _, country = (p.location or "").partition(", ")
    state: dict[str, object] = {
        f"XingId:{slug}": {
            "__typename": "XingId",
            "displayName": x.sim.display_name,
            "occupations": [{"__typename": "XingIdOccupation", "headline": p.headline}],
            "location": {"__typename": "XingIdLocation", "city": city or None,
                         "country": {"localizationValue": country or None}},
        },
    }  # fmt: skip
    for n, e in enumerate(p.experience):
        state[f"ProfileWorkExperience:{n}"] = {
            "__typename": "ProfileWorkExperience", "jobTitle": e.title,
            "companyName": e.company, "employment": e.employment_type, "location": e.location,
            "startDate": _ym(e.start), "endDate": _ym(e.end), "isCurrent": e.is_current,
            "description": e.description,
        }  # fmt: skip
    for n, ed in enumerate(p.education):
        state[f"ProfileEducation:{n}"] = {
            "__typename": "ProfileEducation", "schoolName": ed.school, "degree": ed.degree,
            "subject": ed.field, "startDate": _ym(ed.start), "endDate": _ym(ed.end),
        }  # fmt: skip
    for n, name in enumerate(p.skills):
        state[f"ProfileSkill:{n}"] = {"__typename": "ProfileSkill", "value": name}
    for n, lg in enumerate(p.languages):
        state[f"ProfileLanguage:{n}"] = {
            "__typename": "ProfileLanguage", "language": lg.name, "skillLevel": lg.proficiency,
        }  # fmt: skip
    script = f"<script>window.crate = {_js({'serverData': {'apolloState': state}})};</script>"
    teaser = el("div", el("p", esc("XING")), class_=x.c("public-teaser"))
    return teaser + script + x.contact()
