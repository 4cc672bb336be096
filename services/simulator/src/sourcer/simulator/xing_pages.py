# ruff: noqa: RUF001, RUF002 - platforms print en dashes and typographic apostrophes
"""Xing profile pages: React markup with `data-qa` hooks, hashed class names, consent dialog."""

from __future__ import annotations

from sourcer.proto.records import Education, Experience, YearMonth
from sourcer.simulator.classnames import Layout
from sourcer.simulator.hydration import Page
from sourcer.simulator.markup import el, esc, void
from sourcer.simulator.model import SimProfile
from sourcer.simulator.texts import UiLanguage

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
        "top_skill": "Top skill",
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
        "top_skill": "Top-Fähigkeit",
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


class _Xing:
    def __init__(self, sim: SimProfile, layout: Layout) -> None:
        self.sim = sim
        self.lay = layout
        self.lang: UiLanguage = sim.ui_language

    def c(self, role: str) -> str:
        # Styled-components style: a stable-looking prefix and a hash that changes per build.
        hashed = self.lay.c("x-" + role).split()[0]
        return f"sc-{hashed[:6]} {hashed}"

    def tx(self, key: str) -> str:
        return _TEXT[self.lang][key]

    def p(self, qa: str, text: str | None, tag: str = "p") -> str:
        return el(tag, esc(text), data_qa=qa, class_=self.c(qa)) if text else ""

    def module(self, qa: str, heading: str, body: str) -> str:
        h2 = el("h2", esc(heading), class_=self.c("module-title"))
        inner = self.lay.wrap("x-module-body", body)
        return el("section", h2 + inner, data_qa=qa, class_=self.c("module"))

    def header(self, *, full: bool) -> str:
        p = self.sim.profile
        image = el(
            "div",
            void("img", alt=self.sim.display_name, data_qa="profile-image"),
            class_=self.c("avatar"),
        )
        name = el("h1", esc(self.sim.display_name), data_qa="profile-name", class_=self.c("name"))
        rest = ""
        if full:
            location = el("span", esc(p.location)) if p.location else ""
            rest = self.p("profile-occupation", p.headline) + (
                el("p", location, data_qa="profile-location", class_=self.c("loc"))
                if location
                else ""
            )
        body = self.lay.variant_wrap(
            "x-head", image + el("div", name + rest, class_=self.c("head"))
        )
        return el("section", body, data_qa="profile-header-module", class_=self.c("header"))

    def job(self, e: Experience) -> str:
        desc = ""
        if e.description:
            desc = el(
                "div",
                el("p", esc(e.description)),
                data_qa="timeline-item-description",
                class_=self.c("desc"),
            )
        body = (
            self.p("timeline-item-title", e.title, "h3")
            + self.p("timeline-item-organization", e.company)
            + self.p("timeline-item-employment", e.employment_type)
            + self.p("timeline-item-date", xing_range(e.start, e.end, e.is_current, self.lang))
            + self.p("timeline-item-location", e.location)
            + desc
        )
        return self.item(body)

    def school(self, e: Education) -> str:
        body = (
            self.p("timeline-item-title", e.degree, "h3")
            + self.p("timeline-item-subject", e.field)
            + self.p("timeline-item-organization", e.school)
            + self.p("timeline-item-date", xing_range(e.start, e.end, False, self.lang))
        )
        return self.item(body)

    def item(self, body: str) -> str:
        logo = el("div", void("img", alt=""), class_=self.c("logo"))
        return el(
            "li",
            logo + el("div", body, class_=self.c("item-body")),
            data_qa="timeline-item",
            class_=self.c("item"),
        )

    def skills(self) -> str:
        lis = []
        for index, name in enumerate(self.sim.profile.skills):
            badge = ""
            if index < 3:
                badge = el(
                    "span",
                    "★",
                    data_qa="skills-item-top",
                    aria_label=self.tx("top_skill"),
                    class_=self.c("badge"),
                )
            lis.append(
                el(
                    "li",
                    self.p("skills-item-name", name, "span") + badge,
                    data_qa="skills-item",
                    class_=self.c("skill"),
                )
            )
        return el("ul", "".join(lis), data_qa="skills-list", class_=self.c("skills"))

    def languages(self) -> str:
        lis = [
            el(
                "li",
                self.p("languages-item-name", lg.name, "span")
                + self.p("languages-item-level", lg.proficiency, "span"),
                data_qa="languages-item",
                class_=self.c("language"),
            )
            for lg in self.sim.profile.languages
        ]
        return el("ul", "".join(lis), class_=self.c("languages"))

    def contact(self) -> str:
        emails = self.sim.contact_emails if self.sim.share_email else ()
        if not emails:
            return ""
        groups = [
            ("contact-business", self.tx("business"), emails[:1]),
            ("contact-private", self.tx("private"), emails[1:]),
        ]
        blocks = []
        for qa, label, addresses in groups:
            if not addresses:
                continue
            links = "".join(
                el("a", esc(a), href=f"mailto:{a}", data_qa="contact-email", class_=self.c("mail"))
                for a in addresses
            )
            blocks.append(el("div", el("h3", esc(label)) + links, data_qa=qa))
        return self.module("profile-contact-module", self.tx("contact"), "".join(blocks))

    def profile_fragment(self) -> str:
        p = self.sim.profile
        parts = [self.header(full=True)]
        if self.sim.about:
            parts.append(
                self.module("profile-about-module", self.tx("about"), el("p", esc(self.sim.about)))
            )
        if p.experience:
            ul = el("ul", "".join(self.job(e) for e in p.experience), class_=self.c("timeline"))
            parts.append(self.module("profile-timeline-module", self.tx("experience"), ul))
        if p.education:
            ul = el("ul", "".join(self.school(e) for e in p.education), class_=self.c("timeline"))
            parts.append(self.module("profile-education-module", self.tx("education"), ul))
        if p.skills:
            parts.append(self.module("profile-skills-module", self.tx("skills"), self.skills()))
        if p.languages:
            parts.append(
                self.module("profile-languages-module", self.tx("languages"), self.languages())
            )
        parts.append(self.contact())
        return el("div", "".join(parts), data_qa="profile-page", class_=self.c("page"))

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
        before += f'<main class="{main_cls}">'
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


def xing_profile_page(sim: SimProfile, layout: Layout) -> Page:
    x = _Xing(sim, layout)
    return x.page(x.profile_fragment())


def xing_private_page(sim: SimProfile, layout: Layout) -> Page:
    x = _Xing(sim, layout)
    return x.page(x.private_fragment())
