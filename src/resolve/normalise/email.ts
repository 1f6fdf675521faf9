/**
 * Email addresses to the mailbox they deliver to: lower case, surrounding text dropped
 * ("mailto:", "Name <addr>"), the "+tag" of sub-addressing removed (Gmail, Outlook, iCloud,
 * Fastmail, Proton and most hosts deliver "name+bank@" to "name@"), and, at Gmail, dots in the
 * mailbox name removed since Gmail ignores them (googlemail.com is the same service).
 *
 * Removing "+tag" everywhere can, at the rare host that does not sub-address, join two distinct
 * mailboxes; an email match is one piece of evidence among several, and the tagged form is far
 * more often the same person's.
 */

/** Hosts where dots in the mailbox name are ignored, and the domain they are known by. */
const DOTLESS_DOMAINS: ReadonlyMap<string, string> = new Map([
  ["gmail.com", "gmail.com"],
  ["googlemail.com", "gmail.com"],
]);

/** Characters allowed in a mailbox name (RFC 5322 atext, plus the dot), lower-case. */
const LOCAL_OK: Uint8Array = (() => {
  const ok = new Uint8Array(128);
  for (const ch of "abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-/=?^_`{|}~.") ok[ch.charCodeAt(0)] = 1;
  return ok;
})();

function domainOk(domain: string): boolean {
  // Labels of letters, digits and inner hyphens; at least two labels; a top-level label of letters.
  if (domain.length < 3 || domain.length > 253) return false;
  let labelStart = 0;
  let labels = 0;
  let lastDot = -1;
  for (let i = 0; i <= domain.length; i++) {
    const c = i < domain.length ? domain.charCodeAt(i) : 46;
    if (c === 46) {
      const len = i - labelStart;
      if (len === 0 || len > 63) return false;
      if (domain.charCodeAt(labelStart) === 45 || domain.charCodeAt(i - 1) === 45) return false;
      labels++;
      if (i < domain.length) lastDot = i;
      labelStart = i + 1;
      continue;
    }
    const ok = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45;
    if (!ok) return false;
  }
  if (labels < 2) return false;
  for (let i = lastDot + 1; i < domain.length; i++) {
    const c = domain.charCodeAt(i);
    if (c < 97 || c > 122) return false;
  }
  return true;
}

/**
 * The address in comparable form ("John.Doe+bank@GoogleMail.com" → "johndoe@gmail.com"), or
 * null when it is not an address: no "@", an empty mailbox, a malformed domain, spaces inside.
 */
export function normaliseEmail(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  let s = text.trim();
  if (s.length === 0) return null;
  // "Name <addr@host>": the part in angle brackets.
  const open = s.lastIndexOf("<");
  if (open !== -1) {
    const close = s.indexOf(">", open);
    s = s.slice(open + 1, close === -1 ? s.length : close).trim();
  }
  s = s.toLowerCase();
  if (s.startsWith("mailto:")) s = s.slice(7);
  const at = s.lastIndexOf("@");
  if (at <= 0 || at === s.length - 1) return null;
  let local = s.slice(0, at);
  let domain = s.slice(at + 1);
  if (domain.charCodeAt(domain.length - 1) === 46) domain = domain.slice(0, -1);
  if (!domainOk(domain)) return null;
  const plus = local.indexOf("+");
  if (plus === 0) return null;
  if (plus > 0) local = local.slice(0, plus);
  for (let i = 0; i < local.length; i++) {
    const c = local.charCodeAt(i);
    if (c >= 128 || LOCAL_OK[c] !== 1) return null;
  }
  const dotless = DOTLESS_DOMAINS.get(domain);
  if (dotless !== undefined) {
    local = local.replaceAll(".", "");
    domain = dotless;
  }
  if (local.length === 0 || local.length > 64) return null;
  return `${local}@${domain}`;
}
