// Every code of the gateway's text catalog has a fixing action, and no action is dead.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { ACTIONS, actionFor, problemFrom } from "../src/lib/problems.js";
import { REPOSITORY } from "./paths.js";

const catalog = readFileSync(join(REPOSITORY, "libs/runtime/src/sourcer/runtime/text_catalog.py"), "utf8");
const codes = [...catalog.matchAll(/^ {4}"([a-z0-9_]+)": _t\(/gm)].map((m) => m[1]);

test("the catalog parses into its codes", () => {
  assert.ok(codes.length > 50, `only ${codes.length} codes read`);
  assert.ok(codes.includes("session_expired") && codes.includes("profile_unavailable"));
});

test("every catalog code has an action", () => {
  const missing = codes.filter((code) => !(code in ACTIONS));
  assert.deepEqual(missing, []);
});

test("session codes ask to reconnect, token codes to sign in", () => {
  for (const code of ["session_expired", "no_session_connected", "checkpoint"]) assert.equal(actionFor(code), "connect_session");
  for (const code of ["unauthenticated", "invalid_token", "token_expired"]) assert.equal(actionFor(code), "sign_in");
});

test("answers without problem+json get stable stand-in codes", () => {
  assert.equal(problemFrom(502, "<html>").code, "unavailable");
  assert.equal(problemFrom(401, undefined).code, "unauthenticated");
  assert.equal(problemFrom(418, undefined).code, "http_error");
  assert.deepEqual(problemFrom(422, { code: "unknown_pool", title: "T", detail: "D" }), {
    code: "unknown_pool", title: "T", detail: "D", status: 422,
  });
});
