"""`make dev` works with the unpacked build out of the box: the build's fixed id is the origin
dev.sh allows at the gateway and at the local OpenID provider, which answers it (and no other
origin) with CORS; the store zip carries no key (the store assigns the id)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from browser import DIST, EXTENSION, extension_id
from oidc_provider import CLIENT_ID, CLIENT_SECRET, runner

pytestmark = pytest.mark.extension

DEV_SH = Path(__file__).resolve().parents[2] / "deploy" / "local" / "dev.sh"


def dev_origin() -> str:
    match = re.search(r"^EXTENSION_ORIGIN=(\S+)$", DEV_SH.read_text(), re.MULTILINE)
    assert match, "dev.sh names the extension's origin"
    return match.group(1)


def test_dev_allows_the_origin_of_the_unpacked_build(extension_dist: Path) -> None:
    assert dev_origin() == f"chrome-extension://{extension_id(DIST)}"
    assert json.loads((DIST / "manifest.json").read_text())["key"]


def test_the_store_zip_has_no_key(extension_dist: Path) -> None:
    with zipfile.ZipFile(io.BytesIO((EXTENSION / "sourcer-extension.zip").read_bytes())) as zip_:
        manifest = json.loads(zip_.read("manifest.json"))
    assert "key" not in manifest


def test_the_local_provider_answers_only_the_allowed_origin_with_cors() -> None:
    origin = dev_origin()
    app = runner.build_app(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uris=[],
        users=[],
        token_max_age=timedelta(minutes=5),
        allowed_origins=[origin],
    )
    client = app.test_client()
    discovery = "/.well-known/openid-configuration"
    allowed = client.get(discovery, headers={"Origin": origin})
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == origin
    other = client.get(discovery, headers={"Origin": "chrome-extension://" + "a" * 32})
    assert other.status_code == 200
    assert "Access-Control-Allow-Origin" not in other.headers
