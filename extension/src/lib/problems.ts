// Every problem code and request failure code the gateway can answer, mapped to what fixes it.
// The gateway already words title and detail in the caller's language; the window shows those
// and offers the action below (a unit test checks that every code of the text catalog is here).

export type Action =
  | "sign_in" // sign in again
  | "connect_session" // connect (or reconnect) the platform session
  | "retry" // try again, maybe after a while
  | "reload" // reload what was shown, then repeat the change
  | "open_profile" // open the member's public profile instead
  | "fix_input" // change what was entered
  | "ask_admin" // an admin must do or allow it
  | "none"; // nothing the recruiter can do here; the message says what happened

export const ACTIONS: Record<string, Action> = {
  bad_request: "fix_input",
  unauthenticated: "sign_in",
  invalid_token: "sign_in",
  token_expired: "sign_in",
  forbidden: "ask_admin",
  admin_required: "ask_admin",
  not_found: "none",
  method_not_allowed: "none",
  not_acceptable: "none",
  conflict: "reload",
  precondition_failed: "reload",
  precondition_required: "reload",
  if_match_required: "reload",
  version_mismatch: "reload",
  concurrent_update: "reload",
  body_too_large: "fix_input",
  unsupported_media_type: "none",
  validation_failed: "fix_input",
  rate_limited: "retry",
  internal_error: "retry",
  upstream_failed: "retry",
  unavailable: "retry",
  http_error: "retry",
  invalid_url: "open_profile",
  url_too_long: "open_profile",
  unsupported_scheme: "open_profile",
  url_userinfo: "open_profile",
  ip_literal: "open_profile",
  unsupported_host: "open_profile",
  unsupported_path: "open_profile",
  invalid_profile_slug: "open_profile",
  linkedin_recruiter_unsupported: "open_profile",
  linkedin_sales_navigator_unsupported: "open_profile",
  not_ready: "retry",
  not_cancellable: "none",
  preview_not_found: "retry",
  submit_in_progress: "retry",
  talent_exists: "retry",
  talent_gone: "retry",
  talent_suppressed: "none",
  unknown_change: "reload",
  invalid_override: "fix_input",
  unknown_status: "reload",
  unknown_language: "reload",
  unknown_pool: "reload",
  pool_exists: "fix_input",
  pool_in_use: "none",
  invalid_settings: "fix_input",
  invalid_query: "fix_input",
  invalid_cursor: "reload",
  session_invalid: "connect_session",
  session_not_found: "connect_session",
  session_expired: "connect_session",
  checkpoint: "connect_session",
  profile_unavailable: "none",
  layout_changed: "none",
  timeout: "retry",
  browser_crashed: "retry",
  unsupported_url: "open_profile",
  no_session_connected: "connect_session",
  no_session_available: "retry",
  extraction_lost: "retry",
  consent_required: "ask_admin", // the talent has not consented: ask for consent, or an admin unlocks
  consent_already_granted: "none",
  consent_already_decided: "none",
  consent_conflict: "reload",
  consent_email_unavailable: "none",
  consent_email_rate_limited: "retry",
  consent_pending_by_email: "none",
  controller_not_set: "ask_admin",
  consent_expired: "none",
  consent_token_unknown: "none",
  webhook_not_found: "none",
  webhook_disabled: "ask_admin",
  webhook_events_invalid: "fix_input",
  webhook_url_invalid: "fix_input",
  webhook_target_forbidden: "fix_input",
  webhook_target_unresolvable: "fix_input",
  webhook_https_required: "fix_input",
  webhook_port_forbidden: "fix_input",
  overloaded: "retry",
  delivery_not_found: "none",
  // Not failures: preview kinds and consent warnings share the catalog; the window shows them
  // in place, so they need no fixing action.
  preview_new: "none",
  preview_existing: "none",
  preview_possible_duplicate: "none",
  preview_suppressed: "none",
  first_contact: "none",
  bypasses_consent: "none",
  recorded_and_reported: "none",
  // The extension's own: the gateway could not be reached at all.
  network_error: "retry",
};

export interface Problem {
  code: string;
  title?: string;
  detail?: string;
  status?: number;
}

/** The fixing action of a code; an unknown code (a newer gateway) gets a retry. */
export function actionFor(code: string): Action {
  return ACTIONS[code] ?? "retry";
}

/** The problem of a failed answer: problem+json when the gateway sent one, else a stable stand-in. */
export function problemFrom(status: number, body: unknown): Problem {
  if (body && typeof body === "object" && typeof (body as Problem).code === "string") {
    const { code, title, detail } = body as Problem;
    return { code, title, detail, status };
  }
  if (status === 401) return { code: "unauthenticated", status };
  if (status === 429) return { code: "rate_limited", status };
  if (status >= 500) return { code: "unavailable", status };
  return { code: "http_error", status };
}
