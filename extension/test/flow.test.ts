import assert from "node:assert/strict";
import { test } from "node:test";

import { reduce, type SourcingRequest, type State } from "../src/lib/flow.js";

function request(status: SourcingRequest["status"], extra: Partial<SourcingRequest> = {}): SourcingRequest {
  return {
    id: "req_1",
    status,
    url: "https://www.linkedin.com/in/jane-doe/",
    platform: "linkedin",
    version: 1,
    links: { self: "/s", events: "/e", submit: "/x" },
    ...extra,
  };
}
const preview = { kind: "new" as const, message: "", changes: [], profile: { first_name: "Jane" } };

test("progress lines follow the statuses without repeating one", () => {
  let state: State = reduce({ name: "signed_out" }, { type: "start" });
  assert.equal(state.name, "starting");
  state = reduce(state, { type: "request", request: request("queued") });
  state = reduce(state, { type: "request", request: request("queued") });
  state = reduce(state, { type: "request", request: request("queued", { queue_reason: "waiting_for_session" }) });
  state = reduce(state, { type: "request", request: request("extracting") });
  assert.equal(state.name, "progress");
  assert.deepEqual(state.name === "progress" && state.lines, ["progressQueued", "progressWaitingForSession", "progressExtracting"]);
});

test("ready shows the review; send, then submitted shows the consent options", () => {
  let state: State = reduce({ name: "starting" }, { type: "request", request: request("ready", { preview }) });
  assert.equal(state.name, "review");
  // A repeated ready status keeps what is under review.
  const same = reduce(state, { type: "request", request: request("ready", { preview, version: 2 }) });
  assert.equal(same, state);
  state = reduce(state, { type: "send" });
  assert.equal(state.name, "sending");
  const options = [{ channel: "link" as const, method: "POST" as const, href: "/c", body: { channel: "link" }, warnings: [] }];
  state = reduce(state, { type: "request", request: request("submitted", { consent_options: options }) });
  assert.deepEqual(state.name === "consent" && state.options, options);
});

test("a failed submit returns to the review, keeping what was entered", () => {
  const sending = reduce(reduce({ name: "starting" }, { type: "request", request: request("ready", { preview }) }), { type: "send" });
  const state = reduce(sending, { type: "problem", problem: { code: "unknown_pool" } });
  assert.equal(state.name, "review");
});

test("a failed extraction carries its code and message", () => {
  const error = { code: "session_expired", message: "Reconnect.", retryable: false };
  const state = reduce({ name: "starting" }, { type: "request", request: request("failed", { error }) });
  assert.equal(state.name, "failed");
  assert.deepEqual(state.name === "failed" && state.problem, { code: "session_expired", detail: "Reconnect." });
});

test("a ready request without a preview, cancellation, sign-out and a non-profile page", () => {
  assert.equal(reduce({ name: "starting" }, { type: "request", request: request("ready") }).name, "failed");
  assert.equal(reduce({ name: "starting" }, { type: "request", request: request("cancelled") }).name, "cancelled");
  assert.equal(reduce({ name: "starting" }, { type: "signed_out" }).name, "signed_out");
  const state = reduce({ name: "starting" }, { type: "not_a_profile", code: "linkedin_recruiter_unsupported" });
  assert.deepEqual(state, { name: "not_a_profile", code: "linkedin_recruiter_unsupported" });
});
