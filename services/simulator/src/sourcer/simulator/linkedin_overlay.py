"""LinkedIn pages around the profile: the contact-info overlay and the private-profile notice."""

from __future__ import annotations

from sourcer.simulator.hydration import Page
from sourcer.simulator.linkedin_items import Ctx
from sourcer.simulator.linkedin_shell import shell, top_card
from sourcer.simulator.markup import el, esc
from sourcer.simulator.texts import t


def contact_page(ctx: Ctx) -> Page:
    """The contact-info overlay: the top card behind a modal dialog rendered client-side."""
    sim = ctx.sim
    link_url = f"https://www.linkedin.com/in/{sim.slug}/"
    sections = [
        el(
            "section",
            el(
                "h3",
                esc(t(ctx.lang, "profile_link", name=sim.display_name)),
                class_=ctx.c("ci-head"),
            )
            + el(
                "div",
                el("a", esc(f"linkedin.com/in/{sim.slug}"), href=link_url, class_=ctx.c("ci-link")),
            ),
            class_=ctx.c("ci-section"),
        )
    ]
    if sim.share_email and sim.contact_emails:
        links = "".join(
            el(
                "div",
                el(
                    "a",
                    esc(e),
                    href=f"mailto:{e}",
                    target="_blank",
                    rel="noopener noreferrer",
                    class_=ctx.c("ci-link"),
                ),
            )
            for e in sim.contact_emails
        )
        sections.append(
            el(
                "section",
                el("h3", esc(t(ctx.lang, "email")), class_=ctx.c("ci-head")) + links,
                class_=ctx.c("ci-section"),
            )
        )
    header = el(
        "header",
        el(
            "h1",
            esc(t(ctx.lang, "contact_info_title")),
            id="pv-contact-info",
            class_=ctx.c("ci-title"),
        ),
        class_=ctx.c("ci-header"),
    )
    dismiss = el("button", "", aria_label="Dismiss", type="button", class_=ctx.c("ci-dismiss"))
    dialog = el(
        "div",
        dismiss + header + el("div", "".join(sections), class_=ctx.c("ci-body")),
        role="dialog",
        aria_labelledby="pv-contact-info",
        class_=ctx.c("modal"),
    )
    fragment = el("div", dialog, class_=ctx.c("modal-overlay"), role="presentation")
    before_main, after_main, _ = shell(ctx, top_card(ctx))
    return Page(
        title=f"{sim.display_name} | LinkedIn",
        lang=ctx.lang,
        before=before_main + '<div id="artdeco-modal-outlet">',
        fragment=fragment,
        after="</div>" + after_main,
        target="#artdeco-modal-outlet",
        body_class=ctx.c("body"),
    )


def private_page(ctx: Ctx) -> Page:
    """A profile the viewer may not see: the name and a notice, nothing else."""
    sim = ctx.sim
    h1 = el("h1", esc(sim.display_name), class_=ctx.c("name"))
    first = sim.display_name.split()[0] if sim.display_name.split() else ""
    notice = el(
        "section",
        el("h2", esc(t(ctx.lang, "private_title")), class_=ctx.c("pp-title"))
        + el("p", esc(t(ctx.lang, "private_body", name=first))),
        class_=ctx.c("pp-card"),
    )
    card_html = el("section", el("div", h1, class_=ctx.c("name-row")), class_=ctx.c("top-card"))
    before, after, target = shell(ctx, card_html + notice)
    return Page(
        title=f"{sim.display_name} | LinkedIn",
        lang=ctx.lang,
        before=before,
        fragment="",
        after=after,
        target=target,
        body_class=ctx.c("body"),
    )
