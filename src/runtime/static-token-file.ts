// Static bearer tokens as kube-apiserver's --token-file: a CSV of token,user,uid[,"group1,group2"].
//
// Parsing follows upstream's tokenfile.NewCSV: at least three columns per record, an empty token is
// skipped, a repeated token keeps its last record, the fourth column splits on ','. Quoted fields
// may hold commas and doubled quotes, as Go's encoding/csv reads them.
import { createHash, timingSafeEqual } from 'node:crypto';

export interface TokenUser {
  name: string;
  uid: string;
  groups: readonly string[];
}

export type TokenFileResult =
  | { ok: true; tokens: ReadonlyMap<string, TokenUser>; firstToken: string | undefined }
  | { ok: false; message: string };

/** Most records a token file may hold. */
export const tokenFileRecordCountMax = 10_000;

/** Splits CSV text into records of fields (RFC 4180 quoting; blank lines skipped). */
export function parseCsv(
  text: string,
): { ok: true; records: string[][] } | { ok: false; line: number } {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === '"') return { ok: false, line };
    else if (ch === ',') {
      fields.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (fieldStarted || fields.length > 0 || field !== '') records.push([...fields, field]);
      fields = [];
      field = '';
      fieldStarted = false;
      line++;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) return { ok: false, line };
  if (fieldStarted || fields.length > 0 || field !== '') records.push([...fields, field]);
  return { ok: true, records };
}

/** Reads a token file's text; `path` only names the file in messages. */
export function parseTokenFile(text: string, path: string): TokenFileResult {
  const csv = parseCsv(text);
  if (!csv.ok) return { ok: false, message: `Token file "${path}": line ${csv.line}: bad quoting` };
  if (csv.records.length > tokenFileRecordCountMax) {
    return {
      ok: false,
      message: `Token file "${path}": more than ${tokenFileRecordCountMax} records`,
    };
  }
  const tokens = new Map<string, TokenUser>();
  let firstToken: string | undefined;
  for (const record of csv.records) {
    if (record.length < 3) {
      return {
        ok: false,
        message: `Token file "${path}": must have at least 3 columns (token, user name, user uid), found ${record.length}`,
      };
    }
    const [token = '', name = '', uid = '', groups] = record;
    if (token === '') continue;
    firstToken ??= token;
    tokens.set(token, { name, uid, groups: groups === undefined ? [] : groups.split(',') });
  }
  if (tokens.size === 0) return { ok: false, message: `Token file "${path}": no tokens` };
  return { ok: true, tokens, firstToken };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Checks `Authorization: Bearer <token>` against the file's tokens. Tokens are compared by their
 * SHA-256 digests in constant time, so a reply's timing does not reveal a prefix.
 */
export class StaticTokenAuthenticator {
  readonly #entries: readonly { digest: Buffer; user: TokenUser }[];

  constructor(options: { tokens: ReadonlyMap<string, TokenUser> }) {
    this.#entries = [...options.tokens].map(([token, user]) => ({ digest: digest(token), user }));
  }

  /** The user of a valid bearer token, or undefined (missing, malformed or unknown token). */
  authenticate(authorization: string | undefined): TokenUser | undefined {
    const token = bearerToken(authorization);
    if (token === undefined) return undefined;
    const presented = digest(token);
    let found: TokenUser | undefined;
    for (const entry of this.#entries) {
      if (timingSafeEqual(entry.digest, presented)) found = entry.user;
    }
    return found;
  }
}

/** upstream's bearertoken: `Bearer <token>` (scheme case-insensitive), token non-empty. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const parts = authorization.trim().split(' ');
  if (parts.length < 2 || (parts[0] ?? '').toLowerCase() !== 'bearer') return undefined;
  const token = parts[1] ?? '';
  return token === '' ? undefined : token;
}
