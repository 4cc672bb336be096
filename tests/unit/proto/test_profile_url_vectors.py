"""The shared profile URL vectors (proto/testdata) agree with the gateway's allowlist."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sourcer.proto.profile_urls import UrlRejectedError, canonicalize

pytestmark = pytest.mark.unit

VECTORS_FILE = Path(__file__).resolve().parents[3] / "proto" / "testdata" / "profile_urls.json"
VECTORS: list[dict[str, Any]] = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))["vectors"]
KEYS = {"name", "url", "kind", "platform", "canonical_url", "profile_id", "code"}
KIND_OF_CODE = {
    "linkedin_recruiter_unsupported": "recruiter",
    "linkedin_sales_navigator_unsupported": "sales_navigator",
}


def _outcome(url: str) -> dict[str, Any]:
    try:
        canonical = canonicalize(url)
    except UrlRejectedError as exc:
        kind = KIND_OF_CODE.get(exc.code, "other")
        return {
            "kind": kind,
            "platform": None if kind == "other" else "linkedin",
            "canonical_url": None,
            "profile_id": None,
            "code": exc.code,
        }
    return {
        "kind": "profile",
        "platform": canonical.platform.value,
        "canonical_url": canonical.url,
        "profile_id": canonical.profile_id,
        "code": None,
    }


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector_matches_the_allowlist(vector: dict[str, Any]) -> None:
    expected = {key: vector[key] for key in KEYS - {"name", "url"}}
    assert _outcome(vector["url"]) == expected


def test_vectors_have_one_shape_and_unique_names() -> None:
    assert all(set(vector) == KEYS for vector in VECTORS)
    names = [vector["name"] for vector in VECTORS]
    assert len(names) == len(set(names))


def test_vectors_cover_every_kind_and_platform() -> None:
    kinds = {vector["kind"] for vector in VECTORS}
    platforms = {vector["platform"] for vector in VECTORS if vector["kind"] == "profile"}
    assert kinds == {"profile", "recruiter", "sales_navigator", "other"}
    assert platforms == {"linkedin", "xing"}
