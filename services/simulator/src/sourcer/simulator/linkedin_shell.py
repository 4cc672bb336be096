"""The LinkedIn page frame: global navigation, the member's top card, the main/aside layout."""

from __future__ import annotations

import zlib

from sourcer.simulator.classnames import Layout
from sourcer.simulator.linkedin_items import Ctx
from sourcer.simulator.markup import doubled, el, esc
from sourcer.simulator.texts import UiLanguage, t


def first_class(classes: str) -> str:
    return "." + classes.split()[0]


def global_nav(layout: Layout, lang: UiLanguage) -> str:
    labels = ("Home", "My Network", "Jobs", "Messaging", "Notifications")
    if lang == "de":
        labels = ("Startseite", "Mein Netzwerk", "Jobs", "Nachrichten", "Mitteilungen")
    links = "".join(
        el(
            "li",
            el("a", esc(label), href="/feed/", class_=layout.c("nav-link")),
            class_=layout.c("nav-item"),
        )
        for label in labels
    )
    nav = el("nav", el("ul", links, class_=layout.c("nav-list")), aria_label="Primary Navigation")
    return el("header", nav, id="global-nav", class_=layout.c("global-nav"))


def _member_id(slug: str) -> str:
    return str(zlib.crc32(slug.encode()) % 900_000_000 + 100_000_000)


def top_card(ctx: Ctx) -> str:
    sim, lay = ctx.sim, ctx.layout
    h1 = el("h1", esc(sim.display_name), class_=ctx.c("name"))
    name = el(
        "a",
        h1,
        href=f"/in/{sim.slug}/overlay/about-this-profile/",
        aria_label=sim.display_name,
        class_=ctx.c("name-link"),
    )
    name_row = el("div", el("span", name, class_=ctx.c("name-span")), class_=ctx.c("name-row"))
    headline = ""
    if sim.profile.headline:
        headline = el(
            "div",
            esc(sim.profile.headline),
            class_=ctx.c("headline"),
            data_generated_suggestion_target=f"urn:li:fsu_profileActionDelegate:"
            f"{_member_id(sim.slug)}",
        )
    location = ""
    if sim.profile.location:
        location = el("span", esc(sim.profile.location), class_=ctx.c("tc-location"))
    contact = el(
        "a",
        esc(t(ctx.lang, "contact_info")),
        id="top-card-text-details-contact-info",
        href=f"/in/{sim.slug}/overlay/contact-info/",
        class_=ctx.c("contact-link"),
    )
    loc_row = el(
        "div", location + el("span", contact, class_=ctx.c("tc-sep")), class_=ctx.c("tc-loc-row")
    )
    stats = el(
        "ul",
        el(
            "li",
            el("span", esc(t(ctx.lang, "connections")), class_=ctx.c("tc-stat")),
            class_=ctx.c("tc-stat-li"),
        ),
        class_=ctx.c("tc-stats"),
    )
    current = [e.company for e in sim.profile.experience if e.is_current and e.company][:1]
    right = "".join(
        el(
            "li",
            el(
                "button",
                el("span", esc(c), class_=ctx.c("tc-right-text")),
                type="button",
                aria_label=f"Current company: {c}. Click to skip to experience card",
            ),
            class_=ctx.c("tc-right-li"),
        )
        for c in current
    )
    main_col = lay.wrap("tc-main", name_row + headline) + loc_row + stats
    body = el(
        "div",
        lay.variant_wrap("tc-body", main_col) + el("ul", right, class_=ctx.c("tc-right")),
        class_=ctx.c("tc-body"),
    )
    cover = el("div", "", class_=ctx.c("tc-cover"))
    return el(
        "section", cover + body, class_=ctx.c("top-card"), data_member_id=_member_id(sim.slug)
    )


def shell(ctx: Ctx, main_inner: str, *, aside: str = "") -> tuple[str, str, str]:
    """Return (before, after, target) around an insertion point at the end of `main`."""
    lay = ctx.layout
    inner_cls = ctx.c("main-inner") if lay.variant else ctx.c("main")
    open_main = f'<main id="main" class="{ctx.c("main")}">'
    open_inner = f'<div class="{inner_cls}">' if lay.variant else ""
    close_inner = "</div>" if lay.variant else ""
    before = (
        global_nav(lay, ctx.lang)
        + f'<div class="{ctx.c("outlet")}"><div class="{ctx.c("scaffold")}">'
        + open_main
        + open_inner
        + main_inner
    )
    after = close_inner + "</main>" + aside + "</div></div>"
    return before, after, f"main {first_class(inner_cls)}" if lay.variant else "main#main"


def aside(ctx: Ctx) -> str:
    people = ("Alex Kim", "Rosa Diaz", "Ben Wyatt")
    lis = "".join(
        el(
            "li",
            el("a", el("div", doubled(n), class_=ctx.c("bold")), href="/in/someone/"),
            class_=ctx.c("aside-li"),
        )
        for n in people
    )
    h2 = el("h2", doubled(t(ctx.lang, "people_also_viewed")), class_=ctx.c("aside-title"))
    return el(
        "aside",
        el("section", h2 + el("ul", lis), class_=ctx.c("aside-card")),
        class_=ctx.c("aside"),
    )
