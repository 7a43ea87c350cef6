// Name validators (DNS-1123, DNS-1035, qualified names) with upstream v1.32 limits and messages.
//
// Each validator returns the list of error details, empty when the value is valid, in the order
// and wording of apimachinery's pkg/util/validation. Lengths are UTF-8 bytes, as Go counts them.

import { utf8ByteLength } from './go-format.js';

export const dns1123LabelMaxLength = 63;
export const dns1123SubdomainMaxLength = 253;
export const dns1035LabelMaxLength = 63;
export const qualifiedNameMaxLength = 63;

const dns1123LabelFormat = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelMessage =
  'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or ' +
  "'-', and must start and end with an alphanumeric character";
const dns1123SubdomainFormat = `${dns1123LabelFormat}(\\.${dns1123LabelFormat})*`;
const dns1123SubdomainMessage =
  'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, ' +
  "'-' or '.', and must start and end with an alphanumeric character";
const dns1035LabelFormat = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelMessage =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with " +
  'an alphabetic character, and end with an alphanumeric character';
/** The name part of a qualified name, as upstream spells the pattern in its messages. */
export const qualifiedNameFormat = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const qualifiedNameMessage =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
  'alphanumeric character';

const dns1123LabelRegex = wholeMatch(dns1123LabelFormat);
const dns1123SubdomainRegex = wholeMatch(dns1123SubdomainFormat);
const dns1035LabelRegex = wholeMatch(dns1035LabelFormat);
const qualifiedNameRegex = wholeMatch(qualifiedNameFormat);

/** A RegExp matching the whole text against an upstream (RE2) pattern. */
export function wholeMatch(format: string): RegExp {
  return new RegExp(`^(?:${format})$`);
}

/** `must be no more than <n> characters` (validation.MaxLenError). */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** `must be non-empty` (validation.EmptyError). */
export function emptyError(): string {
  return 'must be non-empty';
}

/** The message, examples and pattern in the shape of validation.RegexError. */
export function regexError(message: string, format: string, examples: readonly string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${format}')`;
  const listed = examples.map((example, i) => `${i > 0 ? ' or ' : ''}'${example}', `).join('');
  return `${message} (e.g. ${listed}regex used for validation is '${format}')`;
}

/** A lowercase RFC 1123 label (namespace names, most object names' segments), ≤ 63 bytes. */
export function validateDns1123Label(value: string): string[] {
  const errors: string[] = [];
  if (utf8ByteLength(value) > dns1123LabelMaxLength) {
    errors.push(maxLenError(dns1123LabelMaxLength));
  }
  if (!dns1123LabelRegex.test(value)) {
    // A valid subdomain that is not a valid label can only be one with dots (length was checked).
    errors.push(
      dns1123SubdomainRegex.test(value)
        ? 'must not contain dots'
        : regexError(dns1123LabelMessage, dns1123LabelFormat, ['my-name', '123-abc']),
    );
  }
  return errors;
}

/** A lowercase RFC 1123 subdomain (most object names), ≤ 253 bytes. */
export function validateDns1123Subdomain(value: string): string[] {
  const errors: string[] = [];
  if (utf8ByteLength(value) > dns1123SubdomainMaxLength) {
    errors.push(maxLenError(dns1123SubdomainMaxLength));
  }
  if (!dns1123SubdomainRegex.test(value)) {
    errors.push(regexError(dns1123SubdomainMessage, dns1123SubdomainFormat, ['example.com']));
  }
  return errors;
}

/** An RFC 1035 label (Service names), ≤ 63 bytes. */
export function validateDns1035Label(value: string): string[] {
  const errors: string[] = [];
  if (utf8ByteLength(value) > dns1035LabelMaxLength) {
    errors.push(maxLenError(dns1035LabelMaxLength));
  }
  if (!dns1035LabelRegex.test(value)) {
    errors.push(regexError(dns1035LabelMessage, dns1035LabelFormat, ['my-name', 'abc-123']));
  }
  return errors;
}

function qualifiedNameRegexError(): string {
  return regexError(qualifiedNameMessage, qualifiedNameFormat, ['MyName', 'my.name', '123-abc']);
}

function qualifiedNameFormatError(): string {
  return (
    'a qualified name ' +
    qualifiedNameRegexError() +
    " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
  );
}

function validatePrefix(prefix: string): string[] {
  if (prefix.length === 0) return [`prefix part ${emptyError()}`];
  return validateDns1123Subdomain(prefix).map((detail) => `prefix part ${detail}`);
}

/**
 * A qualified name: `[prefix/]name`, prefix a DNS-1123 subdomain, name ≤ 63 bytes of
 * `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]` (label keys, annotation keys, finalizers...).
 */
export function validateQualifiedName(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) return [qualifiedNameFormatError()];
  const name = parts.length === 2 ? (parts[1] ?? '') : value;
  const errors = parts.length === 2 ? validatePrefix(parts[0] ?? '') : [];
  if (name.length === 0) errors.push(`name part ${emptyError()}`);
  else if (utf8ByteLength(name) > qualifiedNameMaxLength) {
    errors.push(`name part ${maxLenError(qualifiedNameMaxLength)}`);
  }
  if (!qualifiedNameRegex.test(name)) errors.push(`name part ${qualifiedNameRegexError()}`);
  return errors;
}
