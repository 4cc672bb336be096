"""The simulator's HTTP behaviour: sessions, scenarios, statistics, runtime changes."""

import time
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest

from sourcer.proto.records import Experience, YearMonth
from sourcer.simulator import ProfileCatalog, Scenario, Scenarios, create_app

pytestmark = pytest.mark.unit


@pytest.fixture
def catalog() -> ProfileCatalog:
    return ProfileCatalog.builtin()


@pytest.fixture
def scenarios() -> Scenarios:
    return Scenarios()


@pytest.fixture
async def http(catalog: ProfileCatalog, scenarios: Scenarios) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        profiles=catalog, scenario_state=scenarios, seed="app", today=date(2025, 6, 15)
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://sim.test"
    ) as client:
        yield client


async def _login(http: httpx.AsyncClient, account: str = "alice") -> dict[str, str]:
    response = await http.get("/_sim/login", params={"account": account})
    cookies: dict[str, str] = response.json()["cookies"]
    return cookies


async def test_logged_out_visits_are_redirected(http: httpx.AsyncClient) -> None:
    linkedin = await http.get("/in/jane-doe/")
    assert linkedin.status_code == 302
    assert linkedin.headers["location"].startswith("/authwall?")
    assert "sessionRedirect=/in/jane-doe/" in linkedin.headers["location"]
    xing = await http.get("/profile/Thomas_Mueller")
    assert xing.status_code == 302
    assert xing.headers["location"].startswith("/xing/login?dest_url=")


async def test_sim_login_sets_both_session_cookies(http: httpx.AsyncClient) -> None:
    cookies = await _login(http)
    assert set(cookies) == {"li_at", "login"}
    assert http.cookies["li_at"] == cookies["li_at"]
    assert (await http.get("/in/jane-doe/")).status_code == 200
    assert (await http.get("/profile/Thomas_Mueller")).status_code == 200


async def test_only_issued_cookies_count(http: httpx.AsyncClient) -> None:
    http.cookies.set("li_at", "AQEDAmadeup")
    assert (await http.get("/in/jane-doe/")).status_code == 302


async def test_expire_logs_an_account_out(http: httpx.AsyncClient) -> None:
    await _login(http, "bob")
    expired = await http.post("/_sim/expire", json={"account": "bob"})
    assert expired.json()["expired"] == 2
    assert (await http.get("/in/jane-doe/")).status_code == 302


async def test_login_forms(http: httpx.AsyncClient) -> None:
    assert 'name="session_password"' in (await http.get("/login")).text
    wrong = await http.post(
        "/checkpoint/lg/login-submit", data={"session_key": "carol", "session_password": "nope"}
    )
    assert wrong.status_code == 200 and "li_at" not in wrong.cookies
    ok = await http.post(
        "/login",
        data={
            "session_key": "carol",
            "session_password": "simulator",
            "session_redirect": "/in/aiko/",
        },
    )
    assert ok.status_code == 302 and ok.headers["location"] == "/in/aiko/"
    assert (await http.get("/in/aiko/")).status_code == 200
    xing = await http.post("/xing/login", data={"username": "carol", "password": "simulator"})
    assert xing.status_code == 302 and "login" in xing.cookies


async def test_sections_need_the_script(http: httpx.AsyncClient) -> None:
    await _login(http)
    page = (await http.get("/in/hans-peter-schmidt/")).text
    assert "Topcard" in page and "<h2>Prof. Dr. Hans Peter Schmidt</h2>" in page
    # Cards are only inside the escaped state blob, loaded as their container scrolls in.
    assert 'componentkey="entity-collection-item' not in page
    assert 'id="profileCardsBelowActivityPart1"' in page and "IntersectionObserver" in page
    assert 'id="hydration-state"' in page and "insertAdjacentHTML" in page


async def test_xing_consent_dialog_until_accepted(http: httpx.AsyncClient) -> None:
    await _login(http)
    page = (await http.get("/profile/Thomas_Mueller")).text
    assert 'id="consent-accept-button"' in page and 'data-qa="consent-accept"' in page
    http.cookies.set("xing_privacy_consent", "accepted")
    assert 'id="consent-root"' not in (await http.get("/profile/Thomas_Mueller")).text


async def test_scenarios_over_http_and_python(
    http: httpx.AsyncClient, scenarios: Scenarios
) -> None:
    await _login(http, "dave")
    response = await http.post(
        "/_sim/scenario", json={"slug": "jane-doe", "scenario": "rate_limited"}
    )
    assert response.json()["slugs"]["jane-doe"]["scenario"] == "rate_limited"
    assert (await http.get("/in/jane-doe/")).status_code == 429
    await http.post("/_sim/scenario", json={"slug": "jane-doe", "scenario": None})
    assert (await http.get("/in/jane-doe/")).status_code == 200
    scenarios.set(Scenario.UNAVAILABLE, account="dave")
    assert (await http.get("/in/aiko/")).status_code == 404
    scenarios.set(None, account="dave")
    scenarios.set(Scenario.CHECKPOINT)
    checkpoint = await http.get("/in/aiko/")
    assert checkpoint.status_code == 302
    assert checkpoint.headers["location"].startswith("/checkpoint/challenge/")
    assert (await http.post("/_sim/reset")).status_code == 200
    assert (await http.get("/in/aiko/")).status_code == 200
    bad = await http.post("/_sim/scenario", json={"slug": "x", "scenario": "meteor"})
    assert bad.status_code == 400


async def test_slow_holds_the_response_back(http: httpx.AsyncClient, scenarios: Scenarios) -> None:
    await _login(http)
    scenarios.set("slow", slug="aiko", seconds=0.2)
    started = time.monotonic()
    page = await http.get("/in/aiko/")
    assert time.monotonic() - started >= 0.2
    assert '"delay": 200' in page.text


async def test_stats_count_page_loads(http: httpx.AsyncClient) -> None:
    await _login(http, "erin")
    await http.get("/in/jane-doe/")
    await http.get("/in/jane-doe/details/experience/")
    await http.get("/in/jane-doe/overlay/contact-info/")
    await http.get("/profile/Thomas_Mueller")
    stats = (await http.get("/_sim/stats")).json()
    assert stats["profiles"]["jane-doe"] == {"profile": 1, "details": 1, "contact": 1, "total": 3}
    assert stats["profiles"]["Thomas_Mueller"]["total"] == 1
    assert stats["accounts"]["erin"] == 4
    assert stats["total"] == 4 and len(stats["events"]) == 4


async def test_unknown_member_and_section_answer_404(http: httpx.AsyncClient) -> None:
    await _login(http)
    assert (await http.get("/in/nobody/")).status_code == 404
    assert (await http.get("/in/jane-doe/details/hobbies/")).status_code == 404


async def test_profiles_change_at_runtime(http: httpx.AsyncClient, catalog: ProfileCatalog) -> None:
    await _login(http)
    expected = (await http.get("/_sim/profiles/aiko")).json()
    expected["skills"].append("Watercolour")
    changed = await http.post("/_sim/profiles/aiko", json=expected)
    assert changed.status_code == 200
    assert catalog.expected("aiko").skills == ["Illustration", "Watercolour"]
    new_job = Experience(
        title="Art Director",
        company="Studio Ghibli",
        start=YearMonth(year=2024, month=2),
        is_current=True,
    )
    profile = catalog.expected("aiko")
    catalog.update_profile(
        "aiko", profile.model_copy(update={"experience": [new_job, *profile.experience]})
    )
    assert "Art Director" in (await http.get("/in/aiko/")).text
    invalid = await http.post("/_sim/profiles/aiko", json={"first_name": "x"})
    assert invalid.status_code == 422
    listing = (await http.get("/_sim/profiles")).json()
    assert {"slug": "aiko", "platform": "linkedin"}.items() <= next(
        p for p in listing if p["slug"] == "aiko"
    ).items()


async def test_new_member_over_http(http: httpx.AsyncClient, catalog: ProfileCatalog) -> None:
    await _login(http)
    profile = catalog.expected("aiko").model_dump(mode="json")
    profile["source"] = {
        "platform": "linkedin",
        "profile_id": "new-person",
        "profile_url": "https://www.linkedin.com/in/new-person/",
    }
    created = await http.post(
        "/_sim/profiles/new-person", json={"profile": profile, "display_name": "Aiko 🎨"}
    )
    assert created.status_code == 200
    assert catalog.find("new-person") is not None
    assert "Aiko 🎨" in (await http.get("/in/new-person/")).text
    assert (await http.delete("/_sim/profiles/new-person")).status_code == 200
    assert (await http.get("/in/new-person/")).status_code == 404
