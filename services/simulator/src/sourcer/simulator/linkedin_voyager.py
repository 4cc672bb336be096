"""The API data LinkedIn's logged-in pages of 2022-24 embed: `<code>` blocks with `included`.

The page that rendered a profile keeps the responses it was built from: a `datalet-bpr-guid-N`
block names the request, a hidden `bpr-guid-N` block holds the HTML-escaped JSON body whose
`included` list carries typed entities (`com.linkedin.voyager.dash.identity.profile.Position`...).
"""

from __future__ import annotations

import json
import zlib
from html import escape
from typing import Any

from sourcer.proto.records import YearMonth
from sourcer.simulator.model import SimProfile

_NS = "com.linkedin.voyager.dash.identity.profile."
_LEVELS = {
    "native or bilingual proficiency": "NATIVE_OR_BILINGUAL",
    "full professional proficiency": "FULL_PROFESSIONAL",
    "professional working proficiency": "PROFESSIONAL_WORKING",
    "limited working proficiency": "LIMITED_WORKING",
    "elementary proficiency": "ELEMENTARY",
}


def _date(value: YearMonth | None) -> dict[str, Any] | None:
    if value is None:
        return None
    out: dict[str, Any] = {"year": value.year, "$type": "com.linkedin.common.Date"}
    if value.month:
        out["month"] = value.month
    return out


def _range(start: YearMonth | None, end: YearMonth | None) -> dict[str, Any]:
    out: dict[str, Any] = {"$type": "com.linkedin.common.DateRange"}
    if start:
        out["start"] = _date(start)
    if end:
        out["end"] = _date(end)
    return out


def included(sim: SimProfile) -> list[dict[str, Any]]:
    p = sim.profile
    member = "ACoAA" + format(zlib.crc32(sim.slug.encode()), "x").upper()
    urn = f"urn:li:fsd_profile:{member}"
    out: list[dict[str, Any]] = [
        {
            "$type": _NS + "Profile",
            "entityUrn": urn,
            "publicIdentifier": sim.slug,
            "firstName": p.first_name,
            "lastName": p.last_name,
            "headline": p.headline,
        }
    ]
    for n, e in enumerate(p.experience):
        out.append(
            {
                "$type": _NS + "Position",
                "entityUrn": f"urn:li:fsd_profilePosition:({member},{n + 1000})",
                "title": e.title,
                "companyName": e.company,
                "locationName": e.location,
                "description": e.description,
                "dateRange": _range(e.start, e.end),
            }
        )
    for n, ed in enumerate(p.education):
        out.append(
            {
                "$type": _NS + "Education",
                "entityUrn": f"urn:li:fsd_profileEducation:({member},{n + 2000})",
                "schoolName": ed.school,
                "degreeName": ed.degree,
                "fieldOfStudy": ed.field,
                "dateRange": _range(ed.start, ed.end),
            }
        )
    for n, name in enumerate(p.skills):
        out.append(
            {"$type": _NS + "Skill", "entityUrn": f"urn:li:fsd_skill:({member},{n})", "name": name}
        )
    for n, lg in enumerate(p.languages):
        level = _LEVELS.get((lg.proficiency or "").lower(), lg.proficiency)
        out.append(
            {
                "$type": _NS + "Language",
                "entityUrn": f"urn:li:fsd_language:({member},{n})",
                "name": lg.name,
                "proficiency": level,
            }
        )
    return out


def code_blocks(sim: SimProfile) -> str:
    guid = zlib.crc32(sim.slug.encode()) % 10_000_000
    body = {"data": {"*elements": []}, "included": included(sim)}
    meta = {
        "request": "/voyager/api/identity/dash/profiles?q=memberIdentity"
        f"&memberIdentity={sim.slug}",
        "status": 200,
        "body": f"bpr-guid-{guid}",
    }
    return (
        f'<code style="display: none" id="datalet-bpr-guid-{guid}">'
        f"{escape(json.dumps(meta))}</code>"
        f'<code style="display: none" id="bpr-guid-{guid}">'
        f"{escape(json.dumps(body, ensure_ascii=False))}</code>"
    )
