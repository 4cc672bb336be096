// The profile URL allowlist, the same rules as the gateway's (proto/src/sourcer/proto/profile_urls.py).
// The shared vectors under proto/testdata/ keep the two from ever disagreeing.

export type Platform = "linkedin" | "xing";

export interface CanonicalProfileUrl {
  url: string;
  platform: Platform;
  profileId: string;
}

export type UrlCheck = { ok: true; profile: CanonicalProfileUrl } | { ok: false; code: string };

const MAX_URL_LENGTH = 2048;
const MAX_SLUG_LENGTH = 100;
const LINKEDIN_HOST = /^(?:(?:www|m|[a-z]{2})\.)?linkedin\.com$/;
const XING_HOST = /^(?:www\.)?xing\.com$/;
const LOCALE = /^[a-z]{2}(?:[-_][a-z]{2})?$/i;
const LINKEDIN_SLUG = /^[\p{L}\p{N}_\-]+$/u;
const XING_SLUG = /^(?!\.+$)[A-Za-z0-9_\-.]+$/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\x00-\x20\x7f\\]/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+\-.]*):/;

class Rejected extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

interface Parts {
  scheme: string;
  netloc: string;
  path: string;
}

/** Splits like Python's urllib.parse.urlsplit, which the gateway uses. */
function split(text: string): Parts {
  let rest = text;
  let scheme = "";
  const match = SCHEME.exec(rest);
  if (match) {
    scheme = match[1].toLowerCase();
    rest = rest.slice(match[0].length);
  }
  let netloc = "";
  if (rest.startsWith("//")) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end < 0 ? rest.slice(2) : rest.slice(2, end + 2);
    rest = end < 0 ? "" : rest.slice(end + 2);
    if ((netloc.includes("[") && !netloc.includes("]")) || (netloc.includes("]") && !netloc.includes("["))) {
      throw new Rejected("invalid_url");
    }
  }
  const pathEnd = rest.search(/[?#]/);
  return { scheme, netloc, path: pathEnd < 0 ? rest : rest.slice(0, pathEnd) };
}

function hostAndPort(netloc: string): { host: string; port: number | null } {
  const hostport = netloc.slice(netloc.lastIndexOf("@") + 1);
  let host: string;
  let portText: string | null = null;
  if (hostport.startsWith("[")) {
    const close = hostport.indexOf("]");
    host = hostport.slice(1, close);
    const after = hostport.slice(close + 1);
    if (after.startsWith(":")) portText = after.slice(1);
  } else {
    const colon = hostport.indexOf(":");
    host = colon < 0 ? hostport : hostport.slice(0, colon);
    if (colon >= 0) portText = hostport.slice(colon + 1);
  }
  let port: number | null = null;
  if (portText) {
    if (!/^\d+$/.test(portText)) throw new Rejected("invalid_url");
    port = Number(portText);
    if (port > 65535) throw new Rejected("invalid_url");
  }
  return { host: host.toLowerCase(), port };
}

function isIpLiteral(host: string): boolean {
  const candidate = host.replace(/^\[+|\]+$/g, "");
  if (/^[0-9.]+$/.test(candidate) || /^0x[0-9a-f.x]+$/.test(candidate)) return true;
  return candidate.includes(":") && /^[0-9a-f:.%a-z]+$/i.test(candidate);
}

function decode(segment: string): string {
  // Python's unquote leaves malformed escapes as they are instead of failing.
  return segment.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

function linkedin(segments: string[]): CanonicalProfileUrl {
  const head = segments.length ? segments[0].toLowerCase() : "";
  if (head === "talent") throw new Rejected("linkedin_recruiter_unsupported");
  if (head === "sales") throw new Rejected("linkedin_sales_navigator_unsupported");
  if (head !== "in" || segments.length < 2) throw new Rejected("unsupported_path");
  const slug = segments[1].trim().toLowerCase();
  let rest = segments.slice(2);
  if (rest.length && LOCALE.test(rest[0])) rest = rest.slice(1);
  if (rest.length && rest[0].toLowerCase() === "details" && rest.length <= 2) rest = [];
  if (rest.length) throw new Rejected("unsupported_path");
  if (!slug || [...slug].length > MAX_SLUG_LENGTH || !LINKEDIN_SLUG.test(slug)) {
    throw new Rejected("invalid_profile_slug");
  }
  return { url: `https://www.linkedin.com/in/${encodeURIComponent(slug)}/`, platform: "linkedin", profileId: slug };
}

function xing(segments: string[]): CanonicalProfileUrl {
  if (!segments.length || segments[0].toLowerCase() !== "profile" || segments.length < 2) {
    throw new Rejected("unsupported_path");
  }
  const slug = segments[1].trim();
  let rest = segments.slice(2);
  if (rest.length && ["cv", "portfolio"].includes(rest[0].toLowerCase())) rest = rest.slice(1);
  if (rest.length) throw new Rejected("unsupported_path");
  if (!slug || slug.length > MAX_SLUG_LENGTH || !XING_SLUG.test(slug)) throw new Rejected("invalid_profile_slug");
  return { url: `https://www.xing.com/profile/${slug}`, platform: "xing", profileId: slug };
}

function canonicalizeOrThrow(raw: string): CanonicalProfileUrl {
  const text = raw.trim();
  if (!text) throw new Rejected("invalid_url");
  if (text.length > MAX_URL_LENGTH) throw new Rejected("url_too_long");
  if (FORBIDDEN_CHARS.test(text)) throw new Rejected("invalid_url");
  const parts = split(text);
  const { host: rawHost, port } = hostAndPort(parts.netloc);
  if (parts.scheme !== "https") throw new Rejected("unsupported_scheme");
  if (parts.netloc.includes("@")) throw new Rejected("url_userinfo");
  const host = rawHost.replace(/\.+$/, "");
  if (!host) throw new Rejected("invalid_url");
  if (isIpLiteral(host)) throw new Rejected("ip_literal");
  if (port !== null && port !== 443) throw new Rejected("unsupported_host");
  const segments = parts.path.split("/").filter((s) => s).map(decode);
  if (segments.some((s) => !s.replace(/^\.+|\.+$/g, ""))) throw new Rejected("invalid_profile_slug");
  if (LINKEDIN_HOST.test(host)) return linkedin(segments);
  if (XING_HOST.test(host)) return xing(segments);
  throw new Rejected("unsupported_host");
}

/** The canonical profile URL of `raw`, or the stable code saying why it is refused. */
export function checkProfileUrl(raw: string): UrlCheck {
  try {
    return { ok: true, profile: canonicalizeOrThrow(raw) };
  } catch (error) {
    if (error instanceof Rejected) return { ok: false, code: error.code };
    return { ok: false, code: "invalid_url" };
  }
}

/** Whether the action icon is enabled on a page: only where a profile can be sourced. */
export function isSourceable(url: string | undefined): boolean {
  return url !== undefined && checkProfileUrl(url).ok;
}
