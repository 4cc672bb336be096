// The window's flow as a pure state machine: what to show for each answer of the gateway.
// The DOM code only renders states and feeds events, so every transition is unit-tested.

import type { Problem } from "./problems.js";

export interface RequestError {
  code: string;
  message: string;
  retryable: boolean;
}

export interface Change {
  key: string;
  field: string;
  kind: string;
  old?: unknown;
  new?: unknown;
}

export interface Preview {
  kind: "new" | "existing" | "possible_duplicate" | "suppressed";
  talent_id?: string | null;
  crm_url?: string | null;
  message: string;
  profile?: Record<string, unknown> | null;
  changes: Change[];
}

export interface ConsentOption {
  channel: "link" | "email" | "manual";
  method: "POST";
  href: string;
  body: Record<string, string>;
  warnings: { code: string; message: string }[];
}

export interface SourcingRequest {
  id: string;
  status: "queued" | "extracting" | "ready" | "failed" | "cancelled" | "submitting" | "submitted";
  url: string;
  platform: string;
  version: number;
  queue_reason?: string | null;
  preview?: Preview | null;
  error?: RequestError | null;
  talent_id?: string | null;
  consent_options?: ConsentOption[] | null;
  links: { self: string; events: string; submit: string; talent?: string | null };
}

export type State =
  | { name: "signed_out" }
  | { name: "not_a_profile"; code: string }
  | { name: "starting" }
  | { name: "progress"; request: SourcingRequest; lines: string[] }
  | { name: "review"; request: SourcingRequest; preview: Preview }
  | { name: "sending"; request: SourcingRequest; preview: Preview }
  | { name: "consent"; request: SourcingRequest; options: ConsentOption[] }
  | { name: "cancelled"; request: SourcingRequest }
  | { name: "failed"; problem: Problem; request?: SourcingRequest };

export type Event =
  | { type: "signed_out" }
  | { type: "not_a_profile"; code: string }
  | { type: "start" }
  | { type: "request"; request: SourcingRequest }
  | { type: "send" }
  | { type: "problem"; problem: Problem };

/** The progress line of a request status (a message key of _locales). */
export function progressKey(request: SourcingRequest): string {
  if (request.status === "queued") {
    return request.queue_reason === "waiting_for_session" ? "progressWaitingForSession" : "progressQueued";
  }
  if (request.status === "extracting") return "progressExtracting";
  if (request.status === "submitting") return "progressSubmitting";
  return "progressReady";
}

function fromRequest(state: State, request: SourcingRequest): State {
  switch (request.status) {
    case "queued":
    case "extracting":
    case "submitting": {
      const lines = state.name === "progress" ? state.lines : [];
      const line = progressKey(request);
      return { name: "progress", request, lines: lines.at(-1) === line ? lines : [...lines, line] };
    }
    case "ready":
      // A stream may repeat a status: a preview under review stays as the recruiter edits it.
      if ((state.name === "review" || state.name === "sending") && state.request.id === request.id) return state;
      if (!request.preview) return { name: "failed", problem: { code: "not_ready" }, request };
      return { name: "review", request, preview: request.preview };
    case "failed": {
      const error = request.error ?? { code: "extraction_lost", message: "", retryable: true };
      return { name: "failed", problem: { code: error.code, detail: error.message }, request };
    }
    case "cancelled":
      return { name: "cancelled", request };
    case "submitted":
      return { name: "consent", request, options: request.consent_options ?? [] };
  }
}

export function reduce(state: State, event: Event): State {
  switch (event.type) {
    case "signed_out":
      return { name: "signed_out" };
    case "not_a_profile":
      return { name: "not_a_profile", code: event.code };
    case "start":
      return { name: "starting" };
    case "request":
      return fromRequest(state, event.request);
    case "send":
      return state.name === "review" ? { name: "sending", request: state.request, preview: state.preview } : state;
    case "problem":
      // A failed submit keeps the review so nothing entered is lost; the problem shows above it.
      if (state.name === "sending") return { name: "review", request: state.request, preview: state.preview };
      return { name: "failed", problem: event.problem };
  }
}

/** Whether the stream of this request has more to say (it ends at these statuses). */
export function isFinal(request: SourcingRequest): boolean {
  return ["ready", "failed", "submitted", "cancelled"].includes(request.status);
}
