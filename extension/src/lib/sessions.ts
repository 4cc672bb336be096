// The recruiter's own platform login, read from the browser's cookie jar only when they
// confirm: LinkedIn's `li_at`, Xing's `login` (host permissions for those two sites only).

import type { Platform } from "./profileUrl.js";

export const SESSION_COOKIES: Record<Platform, { url: string; name: string }> = {
  linkedin: { url: "https://www.linkedin.com/", name: "li_at" },
  xing: { url: "https://www.xing.com/", name: "login" },
};

export async function sessionCookie(platform: Platform): Promise<string | undefined> {
  const { url, name } = SESSION_COOKIES[platform];
  const cookie = await chrome.cookies.get({ url, name });
  return cookie?.value || undefined;
}
