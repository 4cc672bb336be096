import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";

import { challengeFor, jwtClaims, randomToken } from "../src/lib/pkce.js";

test("the S256 challenge is the verifier's SHA-256, base64url without padding", async () => {
  const verifier = randomToken(48);
  const expected = createHash("sha256").update(verifier).digest("base64url");
  assert.equal(await challengeFor(verifier), expected);
  assert.doesNotMatch(expected, /[=+/]/);
});

test("random tokens are URL-safe and differ", () => {
  const a = randomToken(48);
  assert.match(a, /^[A-Za-z0-9_-]{64}$/);
  assert.notEqual(a, randomToken(48));
});

test("claims of a JWT (base64url, UTF-8); anything else has none", () => {
  const payload = Buffer.from(JSON.stringify({ sub: "jürgen", exp: 1 })).toString("base64url");
  assert.deepEqual(jwtClaims(`h.${payload}.s`), { sub: "jürgen", exp: 1 });
  assert.deepEqual(jwtClaims("not-a-jwt"), {});
});
