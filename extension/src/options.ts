// The options page: where the gateway and the tenant's identity provider are.

import { DEFAULT_CONFIG, loadConfig, saveConfig, type Config } from "./lib/config.js";
import { localize, t } from "./lib/dom.js";

const form = document.getElementById("options") as HTMLFormElement;
const status = document.getElementById("saved") as HTMLElement;
const fields: (keyof Config)[] = ["gatewayUrl", "issuer", "clientId", "clientSecret", "scope"];

async function show(): Promise<void> {
  localize();
  const config = await loadConfig();
  for (const name of fields) (form.elements.namedItem(name) as HTMLInputElement).value = config[name];
  (document.getElementById("redirect") as HTMLElement).textContent = chrome.identity.getRedirectURL();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const config = { ...DEFAULT_CONFIG };
  for (const name of fields) config[name] = (form.elements.namedItem(name) as HTMLInputElement).value.trim() || (name === "clientSecret" ? "" : DEFAULT_CONFIG[name]);
  void saveConfig(config).then(() => {
    status.textContent = t("optionsSaved");
  });
});

void show();
