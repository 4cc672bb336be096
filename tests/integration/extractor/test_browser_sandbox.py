"""The extractor's Chromium runs sandboxed and site-isolated unless explicitly told otherwise.

Read from Chromium itself: `chrome://sandbox` reports the namespace and seccomp-BPF layers the
renderer really got, `chrome://process-internals` the site isolation mode. Chromium refuses to
start sandboxed as root, so when the tests run as root the browser is started as `nobody`
(through `setpriv`), as an unprivileged container user would run it.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from extractor_harness import CHROMIUM

from sourcer.extractor.browser import BrowserHost

pytestmark = pytest.mark.integration

NOBODY = 65534


@pytest.fixture
def unprivileged_chromium() -> Iterator[str]:
    """CHROMIUM as this user, or (as root) a wrapper that starts it as `nobody`."""
    if os.geteuid() != 0:
        yield CHROMIUM
        return
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to start Chromium as nobody"
    folder = Path(tempfile.mkdtemp(prefix="sourcer-sandbox-"))
    home = folder / "home"
    home.mkdir()
    os.chown(home, NOBODY, NOBODY)
    folder.chmod(0o755)
    wrapper = folder / "chromium-as-nobody"
    # Playwright creates the profile folder as root; hand it to nobody before dropping rights.
    wrapper.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do case "$a" in --user-data-dir=*) '
        f'chown -R {NOBODY}:{NOBODY} "${{a#--user-data-dir=}}";; esac; done\n'
        f"export HOME={home}\n"
        f'exec {setpriv} --reuid={NOBODY} --regid={NOBODY} --clear-groups {CHROMIUM} "$@"\n'
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    try:
        yield str(wrapper)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def _chromium_reports(host: BrowserHost) -> tuple[str, str]:
    page = await host.open_page(account_id="check", storage_state={"cookies": []})
    await page.goto("chrome://sandbox")
    sandbox = await page.inner_text("body")
    await page.goto("chrome://process-internals/#site-isolation")
    await page.get_by_text("Site Isolation mode").wait_for()
    isolation = await page.inner_text("body")
    return sandbox, isolation


async def test_chromium_is_sandboxed_and_site_isolated_by_default(
    unprivileged_chromium: str,
) -> None:
    host = BrowserHost(executable=unprivileged_chromium, headless=True, pages_per_context=5)
    await host.start()
    try:
        sandbox, isolation = await _chromium_reports(host)
    finally:
        await host.close()
    assert "You are adequately sandboxed." in sandbox
    assert "Seccomp-BPF sandbox\tYes" in sandbox
    assert "Site Isolation mode: Site Per Process" in isolation


async def test_no_sandbox_is_an_opt_in_that_is_warned_about() -> None:
    host = BrowserHost(executable=CHROMIUM, headless=True, pages_per_context=5, no_sandbox=True)
    with structlog.testing.capture_logs() as logs:
        await host.start()
    try:
        sandbox, isolation = await _chromium_reports(host)
    finally:
        await host.close()
    assert "You are NOT adequately sandboxed." in sandbox
    assert "Site Isolation mode: Site Per Process" in isolation
    assert [e for e in logs if e["event"] == "browser.sandbox_disabled"]
