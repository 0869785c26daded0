import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DashboardError } from './errors.js';

/** Hosts the dashboard may bind without an access token. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', '::1', 'localhost'];

/** The cookie that carries the access token after the first `?token=` visit. */
export const TOKEN_COOKIE = 'baton_dashboard_token';

/** The header every POST must carry with the session token printed into the page. */
export const SESSION_HEADER = 'x-baton-session';

/**
 * Response headers of every answer: a strict Content-Security-Policy (scripts and styles only from the
 * dashboard itself, no inline script, no plugins, no framing), no sniffing, no referrer.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** True for 127.0.0.1, ::1 and localhost. */
export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.includes(host.replace(/^\[|\]$/g, ''));
}

/** Refuses a non-loopback host without a token (`BATON_DASHBOARD_TOKEN_REQUIRED`). */
export function assertHostAllowed(host: string, token: string | undefined): void {
  if (!isLoopback(host) && !token) {
    throw new DashboardError(
      'BATON_DASHBOARD_TOKEN_REQUIRED',
      `--host ${JSON.stringify(host)} is not a loopback address: anyone who can reach it could read your runs, so pass --token <secret> (or set BATON_DASHBOARD_TOKEN)`,
    );
  }
}

/** A fresh random token (URL-safe base64, 32 bytes). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares two secrets in constant time. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** One cookie of the request, or undefined. */
export function cookieOf(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * The Host header values the server answers to: its own address and port (and `localhost:<port>` when
 * bound to loopback). Any other Host is refused, which defeats DNS rebinding: a page on another name
 * that resolves to 127.0.0.1 still sends its own name as Host.
 */
export function allowedHosts(host: string, port: number): Set<string> {
  const bare = host.replace(/^\[|\]$/g, '');
  const hosts = new Set([`${bare.includes(':') ? `[${bare}]` : bare}:${port}`]);
  if (isLoopback(host)) for (const name of ['127.0.0.1', 'localhost', '[::1]']) hosts.add(`${name}:${port}`);
  return hosts;
}

/**
 * Whether a POST comes from the dashboard's own page: an `Origin` equal to `http://<Host>` (browsers send
 * it on every cross-origin and same-origin POST) and the per-session token in {@link SESSION_HEADER},
 * which only a page the dashboard served can read.
 */
export function isSameOriginAction(request: IncomingMessage, sessionToken: string): boolean {
  const origin = request.headers.origin;
  const host = request.headers.host;
  if (!origin || !host || origin !== `http://${host}`) return false;
  const given = request.headers[SESSION_HEADER];
  return sameSecret(typeof given === 'string' ? given : undefined, sessionToken);
}
