# ruff: noqa: RUF002 - platforms print en dashes and typographic apostrophes
"""Platform simulator: a local imitation of LinkedIn and Xing profile pages.

Shared by tests, benchmarks and the `make dev` demo. One Starlette app serves both platforms
on one host, told apart by path (`create_app()`, or `sourcer-simulator --port 8600`).

Browser-facing behaviour (what the extractor's browser layer has to do)
======================================================================

URLs. Map a real profile URL with `simulator_url_for(url, base_url)`: LinkedIn
`/in/<slug>/`, details `/in/<slug>/details/{experience,education,skills,languages}/`,
contact overlay `/in/<slug>/overlay/contact-info/`; Xing `/profile/<Slug>`.

Logging in. Session cookies are `li_at` (LinkedIn) and `login` (Xing), host-only on the
simulator host, `path=/`, HttpOnly. Only values the simulator issued are valid; anything else
counts as logged out, and `POST /_sim/expire {"account": "..."}` invalidates an account's
sessions. Ways to get a session:
- `GET /_sim/login?account=<name>[&platform=linkedin|xing][&next=/path]` sets the cookie(s)
  and returns `{"account": ..., "cookies": {"li_at": ..., "login": ...}}` (or redirects to
  `next`). Use the returned values to build a Playwright storage_state or an account import.
- The forms: LinkedIn `GET /login` posts `session_key`, `session_password` to
  `/checkpoint/lg/login-submit` (also `POST /login`); Xing `GET /xing/login` posts `username`,
  `password` to `/xing/login`. Any account name with password `simulator` is accepted.
Logged out, a LinkedIn profile answers 302 to `/authwall?trk=bf&sessionRedirect=...`, a Xing
profile 302 to `/xing/login?dest_url=...`.

Client-side rendering. The server sends the shell; an inline script inserts the content after
`DOMContentLoaded` plus a delay (50 ms by default, `render_delay_ms`). Without JavaScript the
sections are absent. What to wait for:
- LinkedIn profile (`entity-2024`, `anchored-2022`): the top card (`main h1`) is in the served
  HTML; sections arrive later: wait for `main section h2` (a member without any section shows
  none, so bound the wait). `flagship-2025` (default): the top card (`[componentkey$=Topcard]
  h2`) is served; each `[id^=profileCards]` container fills only once scrolled into view.
  Details pages: their list items (`main li`) or keyed cards.
  Contact overlay: `[role="dialog"] #pv-contact-info`.
- Xing: a privacy-consent dialog (`#consent-root`, `[role="dialog"][data-qa="consent-banner"]`)
  covers the page, and NOTHING of the profile is inserted until it is accepted: click
  `#consent-accept-button` (also `[data-qa="consent-accept"]`). That sets the cookie
  `xing_privacy_consent=accepted`, removes the dialog and renders the profile after the delay;
  later visits with the cookie get no dialog. Then wait for `#XingIdModule h1` (today's
  modules) or anything inside `main#content` (older and public generations).

"Show all". The LinkedIn profile shows at most 5 experience entries (a company with several
roles counts as one), 3 education, 3 skills and 3 languages. A longer section ends with
`a#navigation-index-see-all-{experiences,education,skills,languages}` whose relative href is
the details page (`/in/<slug>/details/<section>/`), text "Show all 9 experiences" /
"Alle 9 Berufserfahrungen anzeigen". The section name is the path segment after `/details/`.
Xing shows everything on the one page.

Scenarios (`POST /_sim/scenario {"slug"|"account": ..., "scenario": ..., "seconds": ...}`;
neither slug nor account = everyone; `"scenario": null` switches off; `POST /_sim/reset`):
- `checkpoint`: LinkedIn 302 to `/checkpoint/challenge/<id>` (a captcha form
  `form#captcha-challenge`), Xing 302 to `/xing/captcha`; never solvable.
- `rate_limited`: HTTP 429 with an empty page (checked before the session).
- `soft_block`: HTTP 200, LinkedIn a shell with "Something went wrong", Xing an empty root.
- `unavailable`: HTTP 404 "This page doesn’t exist" / "Diese Seite existiert nicht".
- `private`: the name and "This profile is private" only (also members with `private=True`).
- `account_picker`: HTTP 200 "Welcome back" with a continue-as button, at the profile URL.
- `slow`: the response is held back `seconds`, and the sections render `seconds` late.
- `layout_variant`: other generated class names and deeper wrapper nesting.
- `cards_never_load`: LinkedIn's lazily loaded card containers (flagship layout) stay empty.

Layout generations. Each member is served in `SimProfile.layout` (POST it with a profile, or
build members with `member(..., layout=...)`): LinkedIn `flagship-2025` (default: `Topcard`
card with an `h2` name, sections loaded into `profileCards…` containers as they scroll into
view, so wait by scrolling), `entity-2024`, `anchored-2022`; Xing `modules-2023` (default),
`legacy-2020`, `public-crate`.
Class names are random per app instance (`seed`), like a new front-end build.

Other control endpoints: `GET /_sim/stats` (page loads per slug and page type, per account,
and timestamped events), `GET /_sim/profiles`, `GET|POST|DELETE /_sim/profiles/<slug>`
(POST a Profile to change a member, or `{"profile": ..., "display_name": ..., ...}` to add one).

Without a browser, `render_hydrated(member, page, section=...)` returns the DOM the script
leaves behind (for Xing: after consent), so parsers are testable on exactly that markup.
"""

from sourcer.simulator.app import create_app
from sourcer.simulator.catalog import ProfileCatalog, builtin_profiles, simulator_url_for
from sourcer.simulator.model import SimProfile
from sourcer.simulator.render import Renderer, render_hydrated, render_served
from sourcer.simulator.scenarios import Scenario, Scenarios

__all__ = [
    "ProfileCatalog",
    "Renderer",
    "Scenario",
    "Scenarios",
    "SimProfile",
    "builtin_profiles",
    "create_app",
    "render_hydrated",
    "render_served",
    "simulator_url_for",
]
