"""Pages around the profiles: login, authwall, checkpoint, errors, account picker, feed."""

from __future__ import annotations

from sourcer.simulator.classnames import Layout
from sourcer.simulator.hydration import Page, static_html
from sourcer.simulator.linkedin_shell import global_nav
from sourcer.simulator.markup import el, esc, void
from sourcer.simulator.texts import UiLanguage, t


def _page(title: str, lang: str, body: str) -> str:
    return static_html(Page(title=title, lang=lang, before=body, fragment="", after="", target=""))


def _linkedin_login_form(redirect: str) -> str:
    fields = (
        void("input", id="username", name="session_key", type="text", autocomplete="username")
        + void("input", id="password", name="session_password", type="password")
        + void("input", type="hidden", name="session_redirect", value=redirect)
        + el("button", "Sign in", type="submit", aria_label="Sign in")
    )
    return el(
        "form", fields, method="post", action="/checkpoint/lg/login-submit", class_="login__form"
    )


def linkedin_login(redirect: str = "", error: str | None = None) -> str:
    alert = el("div", esc(error), role="alert") if error else ""
    body = el(
        "main", el("h1", "Sign in") + alert + _linkedin_login_form(redirect), id="app__container"
    )
    return _page("LinkedIn Login, Sign in | LinkedIn", "en", body)


def linkedin_authwall(redirect: str) -> str:
    heading = el("h1", "Join your colleagues, classmates, and friends on LinkedIn.")
    link = el("a", "Sign in", href=f"/login?session_redirect={redirect}")
    body = el("main", heading + _linkedin_login_form(redirect) + link, class_="authwall")
    return _page("Sign Up | LinkedIn", "en", body)


def linkedin_checkpoint(challenge_id: str, lang: UiLanguage) -> str:
    puzzle = el("div", el("p", "Pick the image that is the correct way up."), id="captcha-internal")
    form = el(
        "form",
        void("input", type="hidden", name="challengeId", value=challenge_id)
        + puzzle
        + el("button", "Verify", type="submit"),
        id="captcha-challenge",
        method="post",
        action="/checkpoint/challenge/verify",
    )
    body = el(
        "main",
        el("h1", esc(t(lang, "security_check"))) + el("p", esc(t(lang, "security_body"))) + form,
        class_="app__content",
    )
    return _page("Security Verification | LinkedIn", lang, body)


def not_found(lang: UiLanguage, layout: Layout, *, platform: str) -> str:
    inner = (
        el("h1", esc(t(lang, "not_found")))
        + el("p", esc(t(lang, "not_found_body")))
        + el("a", "Go to your feed" if lang == "en" else "Zum Feed", href="/feed/")
    )
    nav = global_nav(layout, lang) if platform == "linkedin" else ""
    return _page("Page not found", lang, nav + el("main", inner, class_=layout.c("error-main")))


def soft_block(lang: UiLanguage, layout: Layout, *, platform: str) -> str:
    """A 200 page without content: a shell with "something went wrong", or nothing at all."""
    if platform == "xing":
        return _page("XING", lang, '<div id="root"></div>')
    state = el(
        "div",
        el("h2", esc(t(lang, "went_wrong")))
        + el("p", esc(t(lang, "went_wrong_body")))
        + el("button", "Refresh page", type="button"),
        class_=layout.c("error-state"),
    )
    return _page("LinkedIn", lang, global_nav(layout, lang) + el("main", state, id="main"))


def too_many_requests() -> str:
    return _page("", "en", "")


def account_picker(lang: UiLanguage, account: str, *, platform: str) -> str:
    """ "Welcome back": the platform forgot the session but remembers who used the browser."""
    login = "/login" if platform == "linkedin" else "/xing/login"
    button = el(
        "button",
        esc(t(lang, "choose_account", name=account)),
        type="button",
        class_="member-profile__details",
        aria_label=t(lang, "choose_account", name=account),
    )
    other = el("a", "Sign in using another account", href=login)
    body = el(
        "main",
        el("h1", esc(t(lang, "welcome_back")))
        + el("ul", el("li", button), class_="account-picker")
        + other,
    )
    return _page("LinkedIn" if platform == "linkedin" else "XING", lang, body)


def xing_login(dest: str = "", error: str | None = None) -> str:
    alert = el("div", esc(error), role="alert") if error else ""
    fields = (
        void("input", name="username", type="text", autocomplete="username")
        + void("input", name="password", type="password")
        + void("input", type="hidden", name="dest_url", value=dest)
        + el("button", "Einloggen", type="submit", data_qa="login-submit")
    )
    form = el("form", fields, method="post", action="/xing/login", data_qa="login-form")
    return _page("Login | XING", "de", el("main", el("h1", "Einloggen") + alert + form))


def xing_captcha(lang: UiLanguage) -> str:
    heading = "Sicherheitsüberprüfung" if lang == "de" else "Security check"
    form = el(
        "form",
        el("div", "", data_qa="captcha") + el("button", "OK", type="submit"),
        method="post",
        action="/xing/captcha",
        data_qa="captcha-form",
    )
    return _page("XING", lang, el("main", el("h1", heading) + form))


def feed(layout: Layout, account: str) -> str:
    body = global_nav(layout, "en") + el("main", el("h2", esc(f"Welcome, {account}")), id="main")
    return _page("Feed | LinkedIn", "en", body)


def xing_start(account: str) -> str:
    body = el("main", el("h2", esc(f"Willkommen, {account}")), id="main")
    return _page("Startseite | XING", "de", body)
