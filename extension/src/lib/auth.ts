// Sign-in with the tenant's OpenID Connect provider: authorization code with PKCE through
// chrome.identity.launchWebAuthFlow, tokens in extension storage, refreshed before they expire.
// Runs in the service worker, which outlives the window while the provider's page is open.

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
  const response = await fetch(token_endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: config.clientId, ...params }),
  });
  if (!response.ok) throw new Error(`token request failed: ${response.status}`);
  const body = (await response.json()) as {
    access_token: string;
    refresh_token?: string;
    id_token?: string;
    expires_in?: number;
  };
  const exp = jwtClaims(body.access_token).exp;
  const expiresAt =
    typeof exp === "number" ? exp * 1000 : Date.now() + (body.expires_in ?? 300) * 1000;
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token ?? params.refresh_token,
    idToken: body.id_token,
    expiresAt,
  };
}

export async function signIn(): Promise<Tokens> {
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
    code_challenge: await challengeFor(verifier),
    code_challenge_method: "S256",
  }).toString();
  const redirected = await chrome.identity.launchWebAuthFlow({ url: url.toString(), interactive: true });
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
  if (!tokens.refreshToken) {
    await signOut();
    return undefined;
  }
  try {
    const refreshed = await tokenRequest(await loadConfig(), {
      grant_type: "refresh_token",
      refresh_token: tokens.refreshToken,
    });
    await chrome.storage.local.set({ tokens: refreshed });
    return refreshed.accessToken;
  } catch {
    await signOut();
    return undefined;
  }
}

export async function signOut(): Promise<void> {
  await chrome.storage.local.remove(["tokens", "me"]);
}
