// The service worker: the action icon follows the tab's URL (enabled only where a profile can
// be sourced), and it holds the sign-in, which must outlive the window while the identity
// provider's page is open.

import { accessToken, signIn, signOut } from "./lib/auth.js";
import { isSourceable } from "./lib/profileUrl.js";

const SIZES = [16, 32, 48, 128];

function icons(kind: "active" | "inactive"): Record<string, string> {
  return Object.fromEntries(SIZES.map((size) => [String(size), `icons/${kind}-${size}.png`]));
}

async function updateIcon(tabId: number, url: string | undefined): Promise<void> {
  const enabled = isSourceable(url);
  try {
    await chrome.action.setIcon({ tabId, path: icons(enabled ? "active" : "inactive") });
    await chrome.action.setTitle({ tabId, title: chrome.i18n.getMessage(enabled ? "actionTitle" : "actionTitleDisabled") });
    if (enabled) await chrome.action.enable(tabId);
    else await chrome.action.disable(tabId);
  } catch {
    // The tab closed meanwhile.
  }
}

// Disabled unless the tab shows a profile; the action's state is not kept across restarts.
chrome.runtime.onInstalled.addListener(() => void chrome.action.disable());
chrome.runtime.onStartup.addListener(() => void chrome.action.disable());
chrome.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.url || change.status) void updateIcon(tabId, tab.url);
});
chrome.tabs.onActivated.addListener(({ tabId }) => {
  chrome.tabs.get(tabId).then((tab) => updateIcon(tabId, tab.url), () => undefined);
});

type Message = { type: "token" } | { type: "signIn" } | { type: "signOut" };

chrome.runtime.onMessage.addListener((message: Message, _sender, reply) => {
  const answer = async (): Promise<unknown> => {
    switch (message.type) {
      case "token":
        return await accessToken();
      case "signIn":
        try {
          await signIn();
          return { ok: true };
        } catch (error) {
          return { ok: false, error: String(error) };
        }
      case "signOut":
        await signOut();
        return { ok: true };
    }
  };
  answer().then(reply, (error) => reply({ ok: false, error: String(error) }));
  return true; // answers asynchronously
});
