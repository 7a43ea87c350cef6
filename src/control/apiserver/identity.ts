// Names and uids the API server generates, from its own Rng streams (as upstream's apiserver does).
import type { Rng } from '../ports/rng.js';

/** Upstream's generateName alphabet: no vowels, no 0, 1 or 3 (apimachinery util/rand). */
export const generateNameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';
export const generateNameSuffixLength = 5;
/** Names are at most 63 characters for generated names' prefixes: 63 − 5. */
export const generateNamePrefixLengthMax = 58;
/** RetryGenerateName (GA in v1.32): attempts before answering 409. */
export const generateNameAttemptsMax = 8;

export function generateName(prefix: string, rng: Rng): string {
  const base =
    prefix.length > generateNamePrefixLengthMax
      ? prefix.slice(0, generateNamePrefixLengthMax)
      : prefix;
  let suffix = '';
  for (let i = 0; i < generateNameSuffixLength; i++) {
    suffix += generateNameAlphabet[rng.intBelow(generateNameAlphabet.length)];
  }
  return base + suffix;
}

const hexDigits = '0123456789abcdef';

/** A random (version 4, RFC 4122 variant) UUID in canonical text form. */
export function generateUid(rng: Rng): string {
  let out = '';
  for (let i = 0; i < 32; i++) {
    let digit = rng.intBelow(16);
    if (i === 12) digit = 4;
    if (i === 16) digit = 8 + (digit & 3);
    out += hexDigits[digit];
    if (i === 7 || i === 11 || i === 15 || i === 19) out += '-';
  }
  return out;
}
