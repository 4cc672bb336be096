// The window: sign-in, progress of the sourcing request, review, send or update, consent, and
// the recruiter's platform sessions. Renders the states of lib/flow.ts.

import { call, language, ProblemError, type ApiContext } from "./lib/api.js";
import { loadConfig, baseUrl } from "./lib/config.js";
import { h, localize, t } from "./lib/dom.js";
import { readEvents } from "./lib/eventStream.js";
import {
  isFinal,
  progressKey,
  reduce,
  type Change,
  type ConsentOption,
  type Event as FlowEvent,
  type Preview,
  type SourcingRequest,
  type State,
} from "./lib/flow.js";
import { actionFor, type Problem } from "./lib/problems.js";
import { checkProfileUrl, type Platform } from "./lib/profileUrl.js";
import { SESSION_COOKIES, sessionCookie } from "./lib/sessions.js";

interface Settings {
  statuses: string[];
  default_status: string;
  languages: string[];
}
interface Pool {
  id: string;
  name: string;
}
interface Talent {
  id: string;
  version: number;
  pools: string[];
  notes: { id: string; text: string; author: string }[];
  status?: string | null;
  preferred_language?: string | null;
}
interface Session {
  platform: Platform;
  shared: boolean;
  state: string;
  message: string;
}

const api: ApiContext = {
  token: async () => (await chrome.runtime.sendMessage({ type: "token" })) as string | undefined,
};

const view = document.getElementById("view") as HTMLElement;
const account = document.getElementById("account") as HTMLElement;
const sessionsView = document.getElementById("sessions") as HTMLElement;
let state: State = { name: "starting" };
let notice: Problem | undefined;
let targetUrl = "";
let settings: Settings | undefined;
let pools: Pool[] = [];
let talent: Talent | undefined;
let streamAbort: AbortController | undefined;

function dispatch(event: FlowEvent): void {
  state = reduce(state, event);
  render();
}

// --- Problems ---------------------------------------------------------------------------

function problemView(problem: Problem): HTMLElement {
  const action = actionFor(problem.code);
  // The gateway's title when it sent one; else the window's own for the code, else for the
  // kind of fix (extraction failures carry a message but no title).
  const own = t(`problem_${problem.code}`);
  const title = problem.title || (own !== `problem_${problem.code}` ? own : t(`title_${action}`));
  const detail = problem.detail || t(`action_${action}`);
  const box = h(
    "div",
    { class: "problem", role: "alert", "data-code": problem.code },
    h("p", { class: "problem-title" }, title),
    h("p", {}, detail),
  );
  const platform = (state.name === "failed" && state.request?.platform) || checkProfileUrl(targetUrl).ok
    ? ((state.name === "failed" && state.request?.platform) || platformOf(targetUrl))
    : undefined;
  if (action === "sign_in") box.append(h("button", { type: "button", onclick: () => void signIn() }, t("signIn")));
  if (action === "retry") box.append(h("button", { type: "button", onclick: () => void start() }, t("retry")));
  if (action === "reload") box.append(h("button", { type: "button", onclick: () => void start() }, t("reload")));
  if (action === "connect_session" && platform) {
    box.append(
      h("button", { type: "button", "data-action": "reconnect", onclick: () => confirmConnect(platform as Platform) }, t("reconnectSession", t(`platform_${platform}`))),
    );
  }
  return box;
}

function platformOf(url: string): Platform | undefined {
  const check = checkProfileUrl(url);
  return check.ok ? check.profile.platform : undefined;
}

// --- Rendering ---------------------------------------------------------------------------

function render(): void {
  view.replaceChildren();
  view.dataset.state = state.name;
  if (notice) view.append(problemView(notice));
  switch (state.name) {
    case "signed_out":
      view.append(
        h("p", {}, t("signedOutText")),
        h("button", { type: "button", class: "primary", id: "sign-in", onclick: () => void signIn() }, t("signIn")),
      );
      break;
    case "not_a_profile":
      view.append(h("p", { class: "hint", "data-code": state.code }, t(`notProfile_${hintFor(state.code)}`)));
      break;
    case "starting":
      view.append(h("p", { class: "progress", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), t("progressStarting")));
      break;
    case "progress":
      view.append(
        h("ol", { class: "progress", role: "status", "aria-label": t("progressLabel") }, ...state.lines.map((line) => h("li", {}, t(line)))),
        h("button", { type: "button", onclick: () => void cancel() }, t("cancel")),
      );
      break;
    case "review":
    case "sending":
      view.append(reviewView(state.preview, state.name === "sending"));
      break;
    case "consent":
      view.append(consentView(state.options, state.request));
      break;
    case "cancelled":
      view.append(h("p", {}, t("cancelled")), h("button", { type: "button", onclick: () => void start() }, t("retry")));
      break;
    case "failed":
      if (!notice) view.append(problemView(state.problem));
      // A session problem changes the session's state too: show it as it is now.
      if (actionFor(state.problem.code) === "connect_session") void renderSessions();
      break;
  }
}

function hintFor(code: string): string {
  if (code === "linkedin_recruiter_unsupported") return "recruiter";
  if (code === "linkedin_sales_navigator_unsupported") return "salesNavigator";
  return "other";
}

function field(label: string, control: HTMLElement): HTMLElement {
  const id = control.id || `f-${Math.random().toString(36).slice(2)}`;
  control.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), control);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "object") return String(value);
  const v = value as Record<string, unknown>;
  if (v.title || v.company) return [v.title, v.company].filter(Boolean).join(" · ");
  if (v.school || v.degree) return [v.school, v.degree].filter(Boolean).join(" · ");
  if (v.name) return [v.name, v.proficiency].filter(Boolean).join(" · ");
  return JSON.stringify(value);
}

function listSection(title: string, items: unknown[], name: string): HTMLElement | null {
  if (!items.length) return null;
  return h("section", { class: "extracted", "data-field": name }, h("h3", {}, title), h("ul", {}, ...items.map((i) => h("li", {}, describe(i)))));
}

function select(id: string, values: string[], selected: string | undefined, labelKey: string, keep = false): HTMLSelectElement {
  const element = h("select", { id, name: id });
  if (keep) element.append(h("option", { value: "" }, t("unchanged")));
  for (const value of values) {
    const option = h("option", { value }, t(`${labelKey}_${value}`) !== `${labelKey}_${value}` ? t(`${labelKey}_${value}`) : value);
    if (value === selected) option.selected = true;
    element.append(option);
  }
  return element;
}

function poolsFieldset(selected: string[]): HTMLElement {
  return h(
    "fieldset",
    { id: "pools" },
    h("legend", {}, t("pools")),
    ...(pools.length
      ? pools.map((pool) =>
          h("label", { class: "check" }, h("input", { type: "checkbox", name: "pool", value: pool.id, checked: selected.includes(pool.id) }), pool.name),
        )
      : [h("p", { class: "hint" }, t("noPools"))]),
  );
}

function notesFieldset(): HTMLElement {
  const list = h("div", { class: "notes" });
  const addNote = (): void => {
    const area = h("textarea", { name: "note", rows: 2, "aria-label": t("noteLabel", String(list.children.length + 1)) });
    list.append(area);
    area.focus();
  };
  const fieldset = h("fieldset", { id: "notes" }, h("legend", {}, t("notes")), list, h("button", { type: "button", id: "add-note", onclick: addNote }, t("addNote")));
  list.append(h("textarea", { name: "note", rows: 2, "aria-label": t("noteLabel", "1") }));
  return fieldset;
}

function reviewView(preview: Preview, sending: boolean): HTMLElement {
  if (preview.kind === "suppressed") return h("p", { class: "hint", role: "status" }, t("previewSuppressed"));
  const profile = (preview.profile ?? {}) as Record<string, unknown>;
  const form = h("form", { id: "review", "aria-busy": sending ? "true" : "false" });
  const existing = preview.kind === "existing";
  if (existing) {
    form.append(h("div", { class: "banner", role: "status", id: "exists" }, t("talentExists")));
    if (preview.crm_url) {
      form.append(h("p", {}, h("a", { href: preview.crm_url, target: "_blank", rel: "noopener", id: "crm-link" }, t("openInCrm"))));
    }
    form.append(changesFieldset(preview.changes));
  } else {
    if (preview.kind === "possible_duplicate") form.append(h("p", { class: "warning", role: "note" }, t("previewPossibleDuplicate")));
    const first = h("input", { id: "first_name", name: "first_name", value: String(profile.first_name ?? ""), autocomplete: "off" });
    const last = h("input", { id: "last_name", name: "last_name", value: String(profile.last_name ?? ""), autocomplete: "off" });
    const emails = (profile.emails as string[] | undefined) ?? [];
    form.append(
      h("h2", {}, t("reviewTitle")),
      field(t("firstName"), first),
      field(t("lastName"), last),
      h("p", { id: "email" }, h("span", { class: "label" }, `${t("email")}: `), emails.length ? emails.join(", ") : t("noEmail")),
    );
    for (const name of ["experience", "education", "skills", "languages"]) {
      const section = listSection(t(name), (profile[name] as unknown[]) ?? [], name);
      if (section) form.append(section);
    }
  }
  const statuses = settings?.statuses ?? [];
  const languages = settings?.languages ?? [];
  form.append(
    field(t("status"), select("status", statuses, existing ? talent?.status ?? undefined : settings?.default_status, "status")),
    // "(not set)" unless the talent has a language: choosing none never sets one by accident.
    field(t("preferredLanguage"), select("preferred_language", languages, existing ? talent?.preferred_language ?? undefined : undefined, "language", !existing || !talent?.preferred_language)),
    poolsFieldset(existing ? talent?.pools ?? [] : []),
  );
  if (existing && talent?.notes.length) {
    form.append(
      h(
        "fieldset",
        { id: "current-notes" },
        h("legend", {}, t("currentNotes")),
        ...talent.notes.map((note) =>
          h("label", { class: "check" }, h("input", { type: "checkbox", name: "keep-note", value: note.id, checked: true }), note.text),
        ),
      ),
    );
  }
  form.append(
    notesFieldset(),
    h("button", { type: "submit", class: "primary", id: "send", disabled: sending }, existing ? t("updateTalent") : t("sendToSourcer")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void send(form, preview);
  });
  return form;
}

function changesFieldset(changes: Change[]): HTMLElement {
  if (!changes.length) return h("p", { id: "changes" }, t("noChanges"));
  return h(
    "fieldset",
    { id: "changes" },
    h("legend", {}, t("newInformation")),
    ...changes.map((change) =>
      h(
        "label",
        { class: "check change", "data-field": change.field, "data-kind": change.kind },
        h("input", { type: "checkbox", name: "accept", value: change.key, checked: change.kind !== "conflict" }),
        `${t(`field_${change.field}`) !== `field_${change.field}` ? t(`field_${change.field}`) : change.field} (${t(`kind_${change.kind}`)}): ${describe(change.new)}`,
      ),
    ),
  );
}

// --- Consent -----------------------------------------------------------------------------

function warningsView(option: ConsentOption): HTMLElement {
  // The window's own wording where it has one, so the warning speaks the window's language.
  const text = (w: { code: string; message: string }): string => (t(`warning_${w.code}`) !== `warning_${w.code}` ? t(`warning_${w.code}`) : w.message);
  return h("ul", { class: "warnings" }, ...option.warnings.map((w) => h("li", { class: "warning", "data-code": w.code }, text(w))));
}

function consentView(options: ConsentOption[], request: SourcingRequest): HTMLElement {
  const section = h("section", { id: "consent" }, h("p", { class: "banner", role: "status" }, t("sent")), h("h2", {}, t("consentTitle")));
  if (!options.length) {
    section.append(h("p", {}, t("consentNotNeeded")));
    return section;
  }
  const link = options.find((o) => o.channel === "link");
  const email = options.find((o) => o.channel === "email");
  const manual = options.find((o) => o.channel === "manual");
  if (link) {
    const out = h("div", { id: "consent-link-out" });
    section.append(
      h("div", { class: "option", id: "option-link" }, h("h3", {}, t("consentLinkTitle")), h("p", {}, t("consentLinkText")),
        h("button", { type: "button", id: "copy-link", onclick: () => void consentLink(link, out) }, t("copyLink")), out),
    );
  }
  const emailBox = h("div", { class: "option", id: "option-email" }, h("h3", {}, t("consentEmailTitle")));
  if (email) {
    const out = h("p", { role: "status" });
    emailBox.append(warningsView(email), h("button", { type: "button", id: "send-email", onclick: () => void consentEmail(email, out) }, t("sendEmail")), out);
  } else {
    emailBox.append(h("p", { class: "hint", id: "no-email-hint" }, t("consentEmailNoAddress")), h("button", { type: "button", id: "send-email", disabled: true, "aria-describedby": "no-email-hint" }, t("sendEmail")));
  }
  section.append(emailBox);
  if (manual) {
    const reason = h("textarea", { id: "unlock-reason", name: "reason", rows: 3, required: true, minlength: 10, "aria-describedby": "unlock-warnings" });
    const out = h("p", { role: "status" });
    // The reason is checked here, so the refusal is read out in the window's words.
    const form = h("form", { class: "option", id: "option-manual", novalidate: true }, h("h3", {}, t("unlockTitle")), h("div", { id: "unlock-warnings" }, warningsView(manual)),
      field(t("unlockReason"), reason), h("button", { type: "submit", id: "unlock" }, t("unlock")), out);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void unlock(manual, reason.value, out);
    });
    section.append(form);
  }
  void request;
  return section;
}

async function consentLink(option: ConsentOption, out: HTMLElement): Promise<void> {
  try {
    const answer = await call<{ consent_url?: string }>(api, option.method, option.href, option.body);
    const url = answer.consent_url ?? "";
    let copied = true;
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      copied = false;
    }
    const linkInput = h("input", { id: "consent-url", readonly: true, value: url });
    out.replaceChildren(
      h("p", { role: "status", id: "copied" }, copied ? t("linkCopied") : t("linkNotCopied")),
      field(t("consentLink"), linkInput),
      h("h4", {}, t("exampleMessages")),
      ...["exampleMessage1", "exampleMessage2"].map((key) => {
        const text = t(key, url);
        return h("div", { class: "example" }, h("p", {}, text), h("button", { type: "button", onclick: () => void navigator.clipboard.writeText(text) }, t("copyMessage")));
      }),
    );
  } catch (error) {
    out.replaceChildren(problemView(asProblem(error)));
  }
}

async function consentEmail(option: ConsentOption, out: HTMLElement): Promise<void> {
  try {
    await call(api, option.method, option.href, { ...option.body, language: language().split("-")[0] });
    out.replaceChildren(t("emailSent"));
  } catch (error) {
    out.replaceChildren(problemView(asProblem(error)));
  }
}

async function unlock(option: ConsentOption, reason: string, out: HTMLElement): Promise<void> {
  const input = document.getElementById("unlock-reason") as HTMLTextAreaElement;
  if (reason.trim().length < 10) {
    input.setAttribute("aria-invalid", "true");
    out.replaceChildren(h("span", { class: "problem", role: "alert" }, t("unlockReasonRequired")));
    input.focus();
    return;
  }
  input.removeAttribute("aria-invalid");
  try {
    await call(api, option.method, option.href, { ...option.body, reason: reason.trim() });
    out.replaceChildren(h("span", { id: "unlocked" }, t("unlocked")));
  } catch (error) {
    out.replaceChildren(problemView(asProblem(error)));
  }
}

// --- Actions -----------------------------------------------------------------------------

function asProblem(error: unknown): Problem {
  return error instanceof ProblemError ? error.problem : { code: "network_error", detail: String(error) };
}

async function send(form: HTMLFormElement, preview: Preview): Promise<void> {
  if (state.name !== "review") return;
  const request = state.request;
  const data = new FormData(form);
  const existing = preview.kind === "existing";
  const chosenPools = data.getAll("pool").map(String);
  const notes = data.getAll("note").map(String).map((n) => n.trim()).filter(Boolean);
  const status = String(data.get("status") ?? "");
  const languageValue = String(data.get("preferred_language") ?? "");
  const body: Record<string, unknown> = {
    pools: existing ? chosenPools.filter((p) => !talent?.pools.includes(p)) : chosenPools,
    notes,
  };
  if (status) body.status = status;
  if (languageValue) body.preferred_language = languageValue;
  if (existing) body.accept = data.getAll("accept").map(String);
  else {
    const profile = (preview.profile ?? {}) as Record<string, unknown>;
    const overrides: Record<string, string> = {};
    for (const name of ["first_name", "last_name"]) {
      const value = String(data.get(name) ?? "").trim();
      if (value && value !== profile[name]) overrides[name] = value;
    }
    body.overrides = overrides;
  }
  notice = undefined;
  dispatch({ type: "send" });
  try {
    const submitted = await call<SourcingRequest>(api, "POST", request.links.submit, body);
    if (existing && talent) await removeUnchecked(talent, chosenPools, data.getAll("keep-note").map(String));
    dispatch({ type: "request", request: submitted });
  } catch (error) {
    notice = asProblem(error);
    dispatch({ type: "problem", problem: notice });
  }
}

/** Pools and notes the recruiter unticked on an existing talent are removed after the update. */
async function removeUnchecked(current: Talent, chosenPools: string[], keptNotes: string[]): Promise<void> {
  for (const pool of current.pools.filter((p) => !chosenPools.includes(p))) {
    await call(api, "DELETE", `/v1/talents/${current.id}/pools/${pool}`);
  }
  for (const note of current.notes.filter((n) => !keptNotes.includes(n.id))) {
    await call(api, "DELETE", `/v1/talents/${current.id}/notes/${note.id}`);
  }
}

async function cancel(): Promise<void> {
  if (state.name !== "progress") return;
  try {
    dispatch({ type: "request", request: await call<SourcingRequest>(api, "POST", `${state.request.links.self}/cancel`) });
  } catch (error) {
    dispatch({ type: "problem", problem: asProblem(error) });
  }
}

async function follow(request: SourcingRequest): Promise<void> {
  streamAbort?.abort();
  const abort = new AbortController();
  streamAbort = abort;
  let lastId = String(request.version);
  let latest = request;
  // The stream ends at a final status; a dropped connection resumes after the last event seen.
  for (let attempt = 0; attempt < 5 && !isFinal(latest) && !abort.signal.aborted; attempt++) {
    try {
      const response = await call<Response>(api, "GET", request.links.events, undefined, {
        headers: { Accept: "text/event-stream", "Last-Event-ID": lastId },
        signal: abort.signal,
      });
      if (!response.body) break;
      for await (const event of readEvents(response.body)) {
        if (event.event !== "status") continue;
        latest = JSON.parse(event.data) as SourcingRequest;
        if (event.id) lastId = event.id;
        await onRequest(latest);
      }
    } catch (error) {
      if (abort.signal.aborted) return;
      if (error instanceof ProblemError) {
        dispatch({ type: "problem", problem: error.problem });
        return;
      }
    }
  }
  if (!isFinal(latest) && !abort.signal.aborted) {
    await onRequest(await call<SourcingRequest>(api, "GET", request.links.self));
  }
}

async function onRequest(request: SourcingRequest): Promise<void> {
  if (request.status === "ready" && request.preview?.kind === "existing" && request.preview.talent_id) {
    try {
      talent = await call<Talent>(api, "GET", `/v1/talents/${request.preview.talent_id}`);
    } catch {
      talent = undefined;
    }
  }
  dispatch({ type: "request", request });
}

async function start(): Promise<void> {
  notice = undefined;
  const check = checkProfileUrl(targetUrl);
  if (!check.ok) {
    dispatch({ type: "not_a_profile", code: check.code });
    return;
  }
  dispatch({ type: "start" });
  try {
    const created = await call<SourcingRequest>(api, "POST", "/v1/sourcing-requests", { url: check.profile.url });
    dispatch({ type: "request", request: created });
    const [loadedSettings, loadedPools] = await Promise.all([
      call<Settings>(api, "GET", "/v1/settings"),
      call<{ items: Pool[] }>(api, "GET", "/v1/pools"),
    ]);
    settings = loadedSettings;
    pools = loadedPools.items;
    if (isFinal(created)) await onRequest(created);
    else await follow(created);
  } catch (error) {
    const problem = asProblem(error);
    if (problem.code === "unauthenticated") await showSignedOut();
    else dispatch({ type: "problem", problem });
  }
}

// --- Account and sessions ------------------------------------------------------------------

async function showSignedOut(): Promise<void> {
  account.replaceChildren();
  sessionsView.replaceChildren();
  dispatch({ type: "signed_out" });
}

async function signIn(): Promise<void> {
  notice = undefined;
  const answer = (await chrome.runtime.sendMessage({ type: "signIn" })) as { ok: boolean; error?: string };
  if (!answer.ok) {
    notice = { code: "unauthenticated", detail: t("signInFailed") };
    dispatch({ type: "signed_out" });
    return;
  }
  await boot();
}

async function signOut(): Promise<void> {
  streamAbort?.abort();
  await chrome.runtime.sendMessage({ type: "signOut" });
  await showSignedOut();
}

async function renderAccount(): Promise<void> {
  let label = "";
  try {
    const me = await call<{ sub: string; name?: string | null; email?: string | null; role: string }>(api, "GET", "/v1/me");
    label = me.name || me.email || me.sub;
    if (me.role) label += ` · ${t(`role_${me.role}`)}`;
  } catch {
    label = "";
  }
  account.replaceChildren(
    h("span", { id: "who" }, label ? t("signedInAs", label) : t("signedIn")),
    h("button", { type: "button", id: "sign-out", onclick: () => void signOut() }, t("signOut")),
  );
}

async function renderSessions(): Promise<void> {
  let sessions: Session[] = [];
  try {
    sessions = (await call<{ items: Session[] }>(api, "GET", "/v1/me/sessions")).items.filter((s) => !s.shared);
  } catch (error) {
    sessionsView.replaceChildren(problemView(asProblem(error)));
    return;
  }
  const rows = (Object.keys(SESSION_COOKIES) as Platform[]).map((platform) => {
    const session = sessions.find((s) => s.platform === platform);
    const stateKey = session ? session.state : "disconnected";
    return h(
      "li",
      { "data-platform": platform, "data-state": stateKey },
      h("span", { class: "platform" }, t(`platform_${platform}`)),
      h("span", { class: `state state-${stateKey}` }, t(`sessionState_${stateKey}`) !== `sessionState_${stateKey}` ? t(`sessionState_${stateKey}`) : stateKey),
      session
        ? h("button", { type: "button", "data-action": "disconnect", "aria-label": t("disconnectPlatform", t(`platform_${platform}`)), onclick: () => void disconnect(platform) }, t("disconnect"))
        : null,
      !session || ["expired", "checkpoint"].includes(session.state)
        ? h("button", { type: "button", "data-action": "connect", "aria-label": t(session ? "reconnectSession" : "connectPlatform", t(`platform_${platform}`)), onclick: () => confirmConnect(platform) }, session ? t("reconnect") : t("connect"))
        : null,
    );
  });
  sessionsView.replaceChildren(h("h2", {}, t("sessionsTitle")), h("ul", { class: "sessions" }, ...rows));
}

function confirmConnect(platform: Platform): void {
  const name = t(`platform_${platform}`);
  const box = h(
    "div",
    { role: "dialog", "aria-modal": "false", "aria-labelledby": "confirm-title", id: "confirm-connect", class: "confirm" },
    h("h3", { id: "confirm-title" }, t("connectConfirmTitle", name)),
    h("p", {}, t("connectConfirmText", name)),
    h("button", { type: "button", class: "primary", id: "confirm-connect-yes", onclick: () => void connect(platform) }, t("connectConfirmYes")),
    h("button", { type: "button", id: "confirm-connect-no", onclick: () => void renderSessions() }, t("cancel")),
  );
  sessionsView.replaceChildren(h("h2", {}, t("sessionsTitle")), box);
  (box.querySelector("#confirm-connect-yes") as HTMLButtonElement).focus();
}

async function connect(platform: Platform): Promise<void> {
  const cookie = await sessionCookie(platform);
  if (!cookie) {
    sessionsView.append(h("p", { class: "problem", role: "alert", id: "no-cookie" }, t("notLoggedInOnPlatform", t(`platform_${platform}`))));
    return;
  }
  try {
    await call(api, "PUT", `/v1/me/sessions/${platform}`, { cookie });
  } catch (error) {
    sessionsView.append(problemView(asProblem(error)));
    return;
  }
  // The gateway checks the session with one page load: poll until it has decided.
  for (let i = 0; i < 60; i++) {
    await renderSessions();
    const row = sessionsView.querySelector(`[data-platform="${platform}"]`) as HTMLElement | null;
    if (row?.dataset.state !== "validating") break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function disconnect(platform: Platform): Promise<void> {
  try {
    await call(api, "DELETE", `/v1/me/sessions/${platform}`);
  } catch (error) {
    sessionsView.append(problemView(asProblem(error)));
    return;
  }
  await renderSessions();
}

// --- Boot ---------------------------------------------------------------------------------

async function targetTabUrl(): Promise<string> {
  const param = new URLSearchParams(location.search).get("tab");
  if (param) return (await chrome.tabs.get(Number(param))).url ?? "";
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.url ?? "";
}

async function boot(): Promise<void> {
  localize();
  // The first progress line at once: the tab, the token and the gateway are asked for after.
  render();
  targetUrl = await targetTabUrl();
  const signedIn = (await chrome.runtime.sendMessage({ type: "token" })) as string | undefined;
  if (!signedIn) {
    await showSignedOut();
    return;
  }
  const config = await loadConfig();
  document.body.dataset.gateway = baseUrl(config.gatewayUrl);
  const started = start();
  void renderAccount();
  void renderSessions();
  await started;
}

void boot();
export { progressKey };
