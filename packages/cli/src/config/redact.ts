/**
 * Secrets the CLI knows it was given (a configured connection string's password), hidden by
 * `redactSecrets` wherever they appear, even outside a URL (a driver error quoting them, a record).
 * Module state on purpose: one CLI process opens one project, and every output path must see them.
 */
const knownSecrets = new Set<string>();

// Shorter passwords are hidden only where they sit in a URL or a `password=` parameter: replacing every
// occurrence of, say, "pg" would garble unrelated text (and the JSON of `runs show --json`).
const MIN_FREE_SECRET_LENGTH = 6;

/** What a hidden secret reads as. */
export const REDACTED = '***';

// `scheme://user:password@`: the password is what follows the first `:` of the userinfo.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*:)[^\s/?#@]*@/gi;
// `password=…` in a URL's query or a libpq key/value string.
const PASSWORD_PARAMETER = /\b(password=)[^\s&'"]*/gi;

/** Remembers the password of `connectionString` (if it has one) so every later `redactSecrets` hides it. */
export function registerConnectionSecret(connectionString: string): void {
  for (const password of passwordsOf(connectionString))
    if (password.length >= MIN_FREE_SECRET_LENGTH) knownSecrets.add(password);
}

function passwordsOf(connectionString: string): string[] {
  const found: string[] = [];
  try {
    const url = new URL(connectionString);
    if (url.password) found.push(url.password, decodeURIComponent(url.password));
    const parameter = url.searchParams.get('password');
    if (parameter) found.push(parameter);
  } catch {
    // Not a URL (a libpq key/value string): its `password=` is still caught by PASSWORD_PARAMETER below.
  }
  for (const match of connectionString.matchAll(PASSWORD_PARAMETER)) found.push(match[0].slice(match[1]!.length));
  return found;
}

/**
 * `text` with every URL password (`postgres://user:***@host`), every `password=***` parameter and every
 * registered secret replaced by `***`. Applied to everything the CLI prints that may quote a connection string.
 */
export function redactSecrets(text: string): string {
  let redacted = text.replace(URL_PASSWORD, `$1${REDACTED}@`).replace(PASSWORD_PARAMETER, `$1${REDACTED}`);
  // Longest first, so a secret containing another is hidden whole.
  for (const secret of [...knownSecrets].sort((a, b) => b.length - a.length))
    redacted = redacted.replaceAll(secret, REDACTED);
  return redacted;
}

/** Forgets the registered secrets (tests). */
export function clearKnownSecrets(): void {
  knownSecrets.clear();
}
