# ruff: noqa: RUF001, RUF002 - platforms print en dashes and typographic apostrophes
"""Xing profile pages as served today: modules with stable ids, `data-xds` design-system markers,
hashed `sc-...` class names, and the privacy-consent dialog.

Modelled on the markup open-source Xing scrapers read (`#XingIdModule` with `data-xds="Hero"`,
`#ProfileTimelineModule` entries whose `data-qa` names `work_experience` or `school` with a
`timeline-headline`, `BodyCopy` and `Meta` lines, `#ProfileSkillsModule` `Tag`s,
`#ProfileLanguagesModule` with `ProgressBar`s). Older generations: `xing_variants`.
"""

from __future__ import annotations

from datetime import date

from sourcer.proto.records import Education, Experience, YearMonth
from sourcer.simulator.classnames import Layout
from sourcer.simulator.hydration import Page
from sourcer.simulator.markup import el, esc, void
from sourcer.simulator.model import SimProfile
from sourcer.simulator.texts import UiLanguage, span_months
from sourcer.simulator.xing_variants import crate_fragment, legacy_fragment

_TEXT: dict[UiLanguage, dict[str, str]] = {
    "en": {
        "about": "About me", "experience": "Work experience", "education": "Education",
        "skills": "Skills", "languages": "Languages", "contact": "Contact details",
        "business": "Business", "private": "Private", "present": "Present", "since": "Since",
        "consent_title": "We value your privacy",
        "consent_body": "We use cookies to make XING work and to improve it.",
        "accept": "Accept all", "settings": "Settings",
        "private_title": "This profile is private",
        "private_body": "Only {name}’s contacts can see this profile.",
        "top_skill": "Top skill", "top_skills": "Top skills",
        "years": "{y} years", "year": "1 year", "months": "{m} months", "month": "1 month",
    },
    "de": {
        "about": "Über mich", "experience": "Berufserfahrung", "education": "Ausbildung",
        "skills": "Kenntnisse und Fähigkeiten", "languages": "Sprachen",
        "contact": "Kontaktdaten", "business": "Geschäftlich", "private": "Privat",
        "present": "heute", "since": "seit",
        "consent_title": "Wir respektieren Ihre Privatsphäre",
        "consent_body": "Wir verwenden Cookies, damit XING funktioniert und besser wird.",
        "accept": "Alle akzeptieren", "settings": "Einstellungen",
        "private_title": "Dieses Profil ist privat",
        "private_body": "Nur Kontakte von {name} können dieses Profil sehen.",
        "top_skill": "Top-Fähigkeit", "top_skills": "Top-Fähigkeiten",
        "years": "{y} Jahre", "year": "1 Jahr", "months": "{m} Monate", "month": "1 Monat",
    },
}  # fmt: skip


def _month(value: YearMonth) -> str:
    return f"{value.month:02d}/{value.year}" if value.month else str(value.year)


def xing_range(
    start: YearMonth | None, end: YearMonth | None, is_current: bool, lang: UiLanguage
) -> str | None:
    """Xing dates: "seit 01/2020" for ongoing roles, "03/2018 – 12/2019" otherwise."""
    if start is None:
        return None
    if is_current:
        return f"{_TEXT[lang]['since']} {_month(start)}"
    if end is None:
        return _month(start)
    return f"{_month(start)} – {_month(end)}"


def xing_duration(months: int, lang: UiLanguage) -> str:
    """ "2 Jahre und 3 Monate", "1 year and 1 month", as Xing's timeline prints durations."""
    years, rest = divmod(max(months, 1), 12)
    text = _TEXT[lang]
    parts = []
    if years:
        parts.append(text["year"] if years == 1 else text["years"].format(y=years))
    if rest:
        parts.append(text["month"] if rest == 1 else text["months"].format(m=rest))
    return (" und " if lang == "de" else " and ").join(parts)


class _Xing:
    def __init__(self, sim: SimProfile, layout: Layout, today: date | None = None) -> None:
        self.sim = sim
        self.lay = layout
        self.lang: UiLanguage = sim.ui_language
        self.today = today or date.today()

    def c(self, role: str) -> str:
        # Styled-components style: a stable-looking prefix and a hash that changes per build.
        hashed = self.lay.c("x-" + role).split()[0]
        return f"sc-{hashed[:6]} {hashed}"

    def tx(self, key: str) -> str:
        return _TEXT[self.lang][key]

    def p(self, qa: str, text: str | None, tag: str = "p") -> str:
        return el(tag, esc(text), data_qa=qa, class_=self.c(qa)) if text else ""

    def header(self, *, full: bool) -> str:
        """`#XingIdModule`: photo, name (`data-xds="Hero"`), occupation, location with its pin."""
        p = self.sim.profile
        image = el("div", void("img", alt=self.sim.display_name), data_xds="ProfileImage")
        name = el("h1", esc(self.sim.display_name), data_xds="Hero", class_=self.c("name"))
        rest = ""
        if full and p.headline:
            rest += el("section", el("p", esc(p.headline), data_xds="BodyCopy"))
        if full and p.location:
            city, comma, country = p.location.partition(", ")
            text = el("strong", esc(city)) + (esc(f", {country}") if comma else "")
            pin = el("svg", "", data_xds="IconLocationPin")
            rest += el("div", pin + el("div", el("p", text)), class_=self.c("loc"))
        body = self.lay.variant_wrap("x-head", image + el("div", name + rest))
        return el("div", el("section", body), id="XingIdModule", class_=self.c("header"))

    def module(self, module_id: str, heading: str, body: str) -> str:
        h2 = el("h2", esc(heading), data_xds="Headline", class_=self.c("module-title"))
        return el("div", h2 + self.lay.wrap("x-module-body", body), id=module_id)

    def entry(self, kind: str, n: int, lines: str) -> str:
        logo = el("div", void("img", title="Logo", alt=""), class_=self.c("logo"))
        return el(
            "div",
            logo + el("div", lines, class_=self.c("item-body")),
            data_qa=f"timeline-urn:x-xing:{kind}:{n}-{kind}-entry",
            class_=self.c("item"),
        )

    def meta(self, start: YearMonth | None, end: YearMonth | None, current: bool) -> str:
        caption = xing_range(start, end, current, self.lang)
        if caption is None or start is None:
            return ""
        months, _ = span_months(start, None if current else end, self.today)
        return el("p", esc(f"{xing_duration(months, self.lang)}, {caption}"), data_xds="Meta")

    def job(self, n: int, e: Experience) -> str:
        lines = el("h2", esc(e.title), data_qa="timeline-headline", data_xds="Headline")
        lines += (
            el("div", el("div", el("p", esc(e.company), data_xds="BodyCopy"))) if e.company else ""
        )
        lines += el("p", esc(e.employment_type), data_xds="BodyCopy") if e.employment_type else ""
        lines += self.meta(e.start, e.end, e.is_current)
        if e.location:
            pin = el("svg", "", data_xds="IconLocationPin")
            lines += el("div", pin + el("p", esc(e.location), data_xds="Meta"))
        if e.description:
            lines += el("p", el("span", esc(e.description)), data_xds="BodyCopy")
        return self.entry("work_experience", n, lines)

    def school(self, n: int, e: Education) -> str:
        heading = ", ".join(p for p in (e.degree, e.field) if p) or e.school
        lines = el("h2", esc(heading), data_qa="timeline-headline", data_xds="Headline")
        if heading != e.school:
            lines += el("div", el("div", el("p", esc(e.school), data_xds="BodyCopy")))
        caption = xing_range(e.start, e.end, False, self.lang)
        lines += el("p", esc(caption), data_xds="Meta") if caption else ""
        return self.entry("school", n, lines)

    def timeline(self) -> str:
        p = self.sim.profile
        buckets = []
        if p.experience:
            jobs = "".join(self.job(n, e) for n, e in enumerate(p.experience))
            head = el("h2", esc(self.tx("experience")), data_xds="Headline")
            buckets.append(el("div", head + el("div", jobs, data_qa="bucket")))
        if p.education:
            schools = "".join(self.school(n, e) for n, e in enumerate(p.education))
            head = el("h2", esc(self.tx("education")), data_xds="Headline")
            buckets.append(el("div", head + el("div", schools, data_qa="bucket")))
        return el("div", "".join(buckets), id="ProfileTimelineModule") if buckets else ""

    def skills(self) -> str:
        names = self.sim.profile.skills
        if not names:
            return ""

        def tags(values: list[str]) -> str:
            return "".join(
                el("div", el("div", el("span", esc(v))), data_xds="Tag", class_=self.c("tag"))
                for v in values
            )

        groups = el("div", el("h2", el("span", esc(self.tx("top_skills")))) + tags(names[:3]))
        if names[3:]:
            groups += el("div", el("h2", "Hard Skills") + tags(names[3:]))
        return self.module("ProfileSkillsModule", self.tx("skills"), groups)

    def languages(self) -> str:
        items = "".join(
            el(
                "div",
                el("h2", esc(lg.name), data_xds="Headline")
                + el(
                    "div",
                    el("p", esc(lg.proficiency or ""), data_xds="BodyCopy")
                    + el("div", "", data_xds="ProgressBar"),
                ),
            )
            for lg in self.sim.profile.languages
        )
        return self.module("ProfileLanguagesModule", self.tx("languages"), items) if items else ""

    def contact(self) -> str:
        emails = self.sim.contact_emails if self.sim.share_email else ()
        if not emails:
            return ""
        groups = [(self.tx("business"), emails[:1]), (self.tx("private"), emails[1:])]
        blocks = []
        for label, addresses in groups:
            if not addresses:
                continue
            links = "".join(el("a", esc(a), href=f"mailto:{a}") for a in addresses)
            blocks.append(el("div", el("h3", esc(label)) + links))
        return self.module("ProfileContactDetailsModule", self.tx("contact"), "".join(blocks))

    def profile_fragment(self) -> str:
        parts = [self.header(full=True)]
        if self.sim.about:
            about = el("p", esc(self.sim.about), data_xds="BodyCopy")
            parts.append(self.module("ProfileAboutMeModule", self.tx("about"), about))
        parts += [self.timeline(), self.skills(), self.languages(), self.contact()]
        return el("div", "".join(parts), class_=self.c("page"))

    def private_fragment(self) -> str:
        first = self.sim.display_name.split()[0] if self.sim.display_name.split() else ""
        notice = el(
            "div",
            el("h2", esc(self.tx("private_title")))
            + el("p", esc(self.tx("private_body").format(name=first))),
            data_qa="profile-private-notice",
            class_=self.c("private"),
        )
        return el(
            "div", self.header(full=False) + notice, data_qa="profile-page", class_=self.c("page")
        )

    def consent(self) -> str:
        accept = el(
            "button",
            esc(self.tx("accept")),
            id="consent-accept-button",
            data_qa="consent-accept",
            type="button",
            class_=self.c("accept"),
        )
        settings = el(
            "button",
            esc(self.tx("settings")),
            data_qa="consent-settings",
            type="button",
            class_=self.c("settings"),
        )
        dialog = el(
            "div",
            el("h2", esc(self.tx("consent_title")))
            + el("p", esc(self.tx("consent_body")))
            + accept
            + settings,
            role="dialog",
            aria_modal="true",
            data_qa="consent-banner",
            class_=self.c("consent"),
        )
        return el("div", dialog, id="consent-root")

    def page(self, fragment: str) -> Page:
        main_cls = self.c("main")
        header = el(
            "header",
            el("a", "XING", href="/", data_qa="xing-logo"),
            data_qa="header",
            class_=self.c("topbar"),
        )
        before = f'<div id="root"><div class="{self.c("app")}">' + header
        before += f'<main id="content" class="{main_cls}">'
        after = "</main>" + el("footer", "© New Work SE", class_=self.c("footer")) + "</div></div>"
        title = f"{self.sim.display_name} | XING"
        return Page(
            title=title,
            lang=self.lang,
            before=before,
            fragment=fragment,
            after=after,
            target="main." + main_cls.split()[1],
            consent=self.consent(),
        )


def xing_profile_page(
    sim: SimProfile, layout: Layout, *, generation: str = "modules-2023", today: date | None = None
) -> Page:
    x = _Xing(sim, layout, today=today)
    if generation == "legacy-2020":
        return x.page(legacy_fragment(x))
    if generation == "public-crate":
        return x.page(crate_fragment(x))
    return x.page(x.profile_fragment())


def xing_private_page(sim: SimProfile, layout: Layout) -> Page:
    x = _Xing(sim, layout)
    return x.page(x.private_fragment())
