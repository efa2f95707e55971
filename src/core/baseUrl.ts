/** Validation of the API base URL: https anywhere, plain http only to loopback hosts. */

export type BaseUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return LOOPBACK_NAMES.has(h) || /^127(\.\d{1,3}){3}$/.test(h) || h.endsWith('.localhost');
}

export function checkBaseUrl(value: string): BaseUrlCheck {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { ok: false, reason: `"${value}" is not a valid URL.` };
  }
  if (url.username || url.password) return { ok: false, reason: 'The API base URL must not contain user info.' };
  if (url.search || url.hash) return { ok: false, reason: 'The API base URL must not contain a query or fragment.' };
  if (url.protocol === 'https:') return { ok: true, url };
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return { ok: true, url };
    return { ok: false, reason: `Plain http is allowed only for loopback hosts, not ${url.hostname}. Use https.` };
  }
  return { ok: false, reason: `Unsupported protocol ${url.protocol} in the API base URL.` };
}
