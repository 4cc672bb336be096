import assert from "node:assert/strict";
import { test } from "node:test";

import { challengeFor, jwtClaims, randomToken } from "../src/lib/pkce.js";

test("the S256 challenge of RFC 7636's example verifier", async () => {
  const challenge = await challengeFor("dBjftJeZ4CVP-mJ0tOTsTUWk5RdpmJxbHHuG3xDNDmA");
  assert.equal(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuMJSAnBKVE");
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
