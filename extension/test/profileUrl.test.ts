// The shared vectors of proto/testdata: the extension enables its icon exactly where the
// gateway accepts the URL, with the same canonical form and the same refusal codes.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { checkProfileUrl, isSourceable } from "../src/lib/profileUrl.js";
import { REPOSITORY } from "./paths.js";

interface Vector {
  name: string;
  url: string;
  kind: "profile" | "recruiter" | "sales_navigator" | "other";
  platform: string | null;
  canonical_url: string | null;
  profile_id: string | null;
  code: string | null;
}

const { vectors } = JSON.parse(readFileSync(join(REPOSITORY, "proto/testdata/profile_urls.json"), "utf8")) as {
  vectors: Vector[];
};

test("the shared file has vectors of every kind", () => {
  const kinds = new Set(vectors.map((v) => v.kind));
  assert.deepEqual([...kinds].sort(), ["other", "profile", "recruiter", "sales_navigator"]);
});

for (const vector of vectors) {
  test(`vector: ${vector.name}`, () => {
    const check = checkProfileUrl(vector.url);
    if (vector.kind === "profile") {
      assert.ok(check.ok, `refused with ${check.ok ? "" : check.code}`);
      assert.equal(check.profile.url, vector.canonical_url);
      assert.equal(check.profile.profileId, vector.profile_id);
      assert.equal(check.profile.platform, vector.platform);
      assert.equal(isSourceable(vector.url), true);
    } else {
      assert.ok(!check.ok, `accepted as ${check.ok ? check.profile.url : ""}`);
      assert.equal(check.code, vector.code);
      assert.equal(isSourceable(vector.url), false);
    }
  });
}
