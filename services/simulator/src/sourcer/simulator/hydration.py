"""Client-side rendering: the server sends a shell, an inline script inserts the sections.

A page is split at one insertion point. The server sends `before + after` with the section
markup in a JSON blob; after `DOMContentLoaded` plus a delay the script appends that markup
to the target element and removes the blob. `hydrated_html` builds the document the script
leaves behind, so parsers can be tested without a browser.

Xing pages add a privacy-consent dialog: the script inserts the sections only after its
accept button was clicked (which also sets the consent cookie and removes the dialog). When
the request already carries the consent cookie the server leaves the dialog out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from sourcer.simulator.markup import esc

CONSENT_COOKIE = "xing_privacy_consent"

_SCRIPT = """<script>
document.addEventListener("DOMContentLoaded", function () {
  var blob = document.getElementById("hydration-state");
  if (!blob) { return; }
  var state = JSON.parse(blob.textContent);
  blob.remove();
  function render() {
    setTimeout(function () {
      var target = document.querySelector(state.target);
      if (target) { target.insertAdjacentHTML("beforeend", state.html); }
    }, state.delay);
  }
  // Cards of today's LinkedIn load as their container scrolls into view, not before.
  var lazy = state.lazy || {};
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) { return; }
      observer.unobserve(entry.target);
      setTimeout(function () {
        entry.target.insertAdjacentHTML("beforeend", lazy[entry.target.id]);
      }, state.delay);
    });
  });
  Object.keys(lazy).forEach(function (id) {
    var holder = document.getElementById(id);
    if (holder) { observer.observe(holder); }
  });
  var consent = document.getElementById("consent-root");
  if (!consent) { render(); return; }
  document.getElementById("consent-accept-button").addEventListener("click", function () {
    document.cookie = "__CONSENT_COOKIE__=accepted; path=/; max-age=31536000; SameSite=Lax";
    consent.remove();
    render();
  });
});
</script>""".replace("__CONSENT_COOKIE__", CONSENT_COOKIE)

_STYLE = (
    "<style>.visually-hidden{position:absolute!important;width:1px;height:1px;"
    "overflow:hidden;clip:rect(1px,1px,1px,1px);white-space:nowrap}"
    "#consent-root{position:fixed;inset:0;z-index:9999;background:rgba(0,0,0,.6)}</style>"
)


@dataclass(frozen=True)
class Page:
    """A page split at the point where client-side rendering inserts its markup."""

    title: str
    lang: str
    before: str
    fragment: str
    after: str
    target: str
    body_class: str = ""
    consent: str | None = None
    lazy: dict[str, str] = field(default_factory=dict)
    """Container id -> markup inserted once the container scrolls into view."""


def _json_for_script(value: object) -> str:
    # Escaping <, > and & keeps "</script>" and "<!--" inside the markup from ending the blob.
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _document(page: Page, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="{page.lang}"><head><meta charset="utf-8">'
        f"<title>{esc(page.title)}</title>{_STYLE}</head>"
        f'<body class="{page.body_class}">{body}</body></html>'
    )


def served_html(page: Page, *, delay_ms: int, show_consent: bool = True) -> str:
    """What the server sends: the shell, the state blob and the rendering script."""
    state = _json_for_script(
        {"target": page.target, "html": page.fragment, "delay": delay_ms, "lazy": page.lazy}
    )
    consent = page.consent if (page.consent and show_consent) else ""
    blob = f'<script type="application/json" id="hydration-state">{state}</script>'
    return _document(page, page.before + page.after + consent + blob + _SCRIPT)


def hydrated_html(page: Page) -> str:
    """The document after the script ran (and, on Xing, after consent was given), with every
    lazily loaded container scrolled into view."""
    before = page.before
    for holder, markup in page.lazy.items():
        empty = re.search(rf'<div id="{re.escape(holder)}"[^>]*>(?=</div>)', before)
        if empty is not None:
            before = before[: empty.end()] + markup + before[empty.end() :]
    return _document(page, before + page.fragment + page.after + _SCRIPT)


def static_html(page: Page) -> str:
    """A page without client-side rendering (login, errors, checkpoints)."""
    return _document(page, page.before + page.fragment + page.after)
