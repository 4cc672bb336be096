// Where the gateway and the identity provider are: set on the options page, with the local
// development fleet (`make dev`) as defaults.

export interface Config {
  gatewayUrl: string;
  issuer: string;
  clientId: string;
  /** Only for providers that insist on a secret from this public client (the local development
   * provider); production providers get the public-client flow with PKCE and no secret. */
  clientSecret: string;
  scope: string;
}

export const DEFAULT_CONFIG: Config = {
  gatewayUrl: "http://127.0.0.1:8000",
  issuer: "http://127.0.0.1:8500",
  clientId: "sourcer-extension",
  clientSecret: "sourcer-extension-dev-secret",
  scope: "openid profile email",
};

export async function loadConfig(): Promise<Config> {
  const stored = (await chrome.storage.local.get("config")).config as Partial<Config> | undefined;
  return { ...DEFAULT_CONFIG, ...(stored ?? {}) };
}

export async function saveConfig(config: Config): Promise<void> {
  await chrome.storage.local.set({ config });
}

/** Trailing slashes off, so paths can be appended. */
export function baseUrl(url: string): string {
  return url.replace(/\/+$/, "");
}
