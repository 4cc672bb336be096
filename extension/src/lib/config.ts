// Where the gateway and the identity provider are: set on the options page, with the local
// development fleet (`make dev`) as defaults.

export interface Config {
  gatewayUrl: string;
  issuer: string;
  clientId: string;
  scope: string;
}

export const DEFAULT_CONFIG: Config = {
  gatewayUrl: "http://127.0.0.1:8000",
  issuer: "http://127.0.0.1:8500",
  clientId: "sourcer-extension",
  scope: "openid profile email offline_access",
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
