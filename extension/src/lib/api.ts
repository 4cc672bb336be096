// The gateway client: bearer token, the browser's language, problem+json turned into a Problem.

import { baseUrl, loadConfig } from "./config.js";
import { problemFrom, type Problem } from "./problems.js";

const REQUEST_TIMEOUT_MS = 30_000;

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.code);
  }
}

export interface ApiContext {
  token: () => Promise<string | undefined>;
}

/** The language the window speaks (the browser's, where a translation exists): the gateway
 * answers its problems in it. */
export function language(): string {
  return chrome.i18n.getMessage("@@ui_locale").replace("_", "-") || chrome.i18n.getUILanguage();
}

export async function call<T>(
  ctx: ApiContext,
  method: string,
  path: string,
  body?: unknown,
  init: RequestInit = {},
): Promise<T> {
  const token = await ctx.token();
  if (!token) throw new ProblemError({ code: "unauthenticated" });
  const { gatewayUrl } = await loadConfig();
  const url = path.startsWith("http") ? path : `${baseUrl(gatewayUrl)}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      // Every call ends: a gateway that does not answer becomes a message, never a spinner.
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      ...init,
      headers: {
        Authorization: `Bearer ${token}`,
        "Accept-Language": language(),
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(init.headers as Record<string, string> | undefined),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ProblemError({ code: "network_error" });
  }
  if (init.headers && (init.headers as Record<string, string>).Accept === "text/event-stream" && response.ok) {
    return response as T;
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) throw new ProblemError(problemFrom(response.status, parsed));
  return parsed as T;
}
