// Sign-in with the tenant's OpenID Connect provider: authorization code with PKCE through
// chrome.identity.launchWebAuthFlow, tokens in extension storage, renewed before they expire.
// The bearer the gateway verifies is the ID token: always a JWT of the provider with the
// extension's client id as audience (access tokens may be opaque). Runs in the service worker,
// which outlives the window while the provider's page is open.

import { baseUrl, loadConfig, type Config } from "./config.js";
import { challengeFor, jwtClaims, randomToken } from "./pkce.js";

export interface Tokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  expiresAt: number; // epoch ms
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

const REFRESH_MARGIN_MS = 60_000;

async function discover(config: Config): Promise<Discovery> {
  const response = await fetch(`${baseUrl(config.issuer)}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`discovery failed: ${response.status}`);
  return (await response.json()) as Discovery;
}

async function tokenRequest(config: Config, params: Record<string, string>): Promise<Tokens> {
  const { token_endpoint } = await discover(config);
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (config.clientSecret) {
    const pair = `${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`;
    headers.Authorization = `Basic ${btoa(pair)}`;
  }
  const response = await fetch(token_endpoint, {
    method: "POST",
    headers,
    body: new URLSearchParams({ client_id: config.clientId, ...params }),
  });
  if (!response.ok) throw new Error(`token request failed: ${response.status}`);
  const body = (await response.json()) as {
    access_token: string;
    refresh_token?: string;
    id_token?: string;
    expires_in?: number;
  };
  if (!body.id_token) throw new Error("the provider answered without an ID token");
  const exp = jwtClaims(body.id_token).exp;
  const expiresAt =
    typeof exp === "number" ? exp * 1000 : Date.now() + (body.expires_in ?? 300) * 1000;
  return {
    accessToken: body.id_token,
    refreshToken: body.refresh_token ?? params.refresh_token,
    idToken: body.id_token,
    expiresAt,
  };
}

/** Signs in; `interactive: false` renews a sign-in the provider still remembers, with no page. */
export async function signIn(interactive = true): Promise<Tokens> {
  const config = await loadConfig();
  const { authorization_endpoint } = await discover(config);
  const verifier = randomToken(48);
  const state = randomToken(16);
  const redirectUri = chrome.identity.getRedirectURL();
  const url = new URL(authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: redirectUri,
    scope: config.scope,
    state,
    nonce: randomToken(16),
    code_challenge: await challengeFor(verifier),
    code_challenge_method: "S256",
  }).toString();
  const redirected = await chrome.identity.launchWebAuthFlow({ url: url.toString(), interactive });
  if (!redirected) throw new Error("sign-in cancelled");
  const answer = new URL(redirected).searchParams;
  if (answer.get("state") !== state) throw new Error("sign-in answer does not match");
  const code = answer.get("code");
  if (!code) throw new Error(answer.get("error") ?? "no authorization code");
  const tokens = await tokenRequest(config, {
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
  await chrome.storage.local.set({ tokens });
  return tokens;
}

export async function storedTokens(): Promise<Tokens | undefined> {
  return (await chrome.storage.local.get("tokens")).tokens as Tokens | undefined;
}

/** A valid access token, refreshed when it is about to expire; undefined when signed out. */
export async function accessToken(): Promise<string | undefined> {
  const tokens = await storedTokens();
  if (!tokens) return undefined;
  if (tokens.expiresAt - REFRESH_MARGIN_MS > Date.now()) return tokens.accessToken;
  // A refresh need not bring a new ID token: then sign in again without a prompt.
  try {
    if (tokens.refreshToken) {
      const refreshed = await tokenRequest(await loadConfig(), {
        grant_type: "refresh_token",
        refresh_token: tokens.refreshToken,
      });
      await chrome.storage.local.set({ tokens: refreshed });
      return refreshed.accessToken;
    }
  } catch {
    // falls through to a silent sign-in
  }
  try {
    return (await signIn(false)).accessToken;
  } catch {
    await signOut();
    return undefined;
  }
}

export async function signOut(): Promise<void> {
  await chrome.storage.local.remove(["tokens", "me"]);
}
