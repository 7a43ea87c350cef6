// The named string formats of the DSL, mapped to the upstream validators in ../values.

import { validateLabelKey, validateLabelValue } from '../values/labels.js';
import {
  maxLenError,
  validateDns1035Label,
  validateDns1123Label,
  validateDns1123Subdomain,
} from '../values/names.js';
import type { StringFormat } from './schema.js';
import { assertNever } from '../../util/assert.js';

/** validation.IsValidPortName (v1.32: every failed rule is reported). */
export function validatePortName(port: string): string[] {
  const errors: string[] = [];
  if (port.length > 15) errors.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) {
    errors.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  }
  if (!/[a-z]/.test(port)) errors.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errors.push('must not contain consecutive hyphens');
  if (port.startsWith('-') || port.endsWith('-')) {
    errors.push('must not begin or end with a hyphen');
  }
  return errors;
}

/** validation.IsValidPortNum. */
export function validatePortNumber(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** Upstream error details for `value` in the format; empty when valid. */
export function checkStringFormat(format: StringFormat, value: string): string[] {
  switch (format) {
    case 'dns1123-label':
      return validateDns1123Label(value);
    case 'dns1123-subdomain':
      return validateDns1123Subdomain(value);
    case 'dns1035-label':
      return validateDns1035Label(value);
    case 'qualified-name':
      return validateLabelKey(value);
    case 'label-value':
      return validateLabelValue(value);
    case 'port-name':
      return validatePortName(value);
    default:
      return assertNever(format, 'unknown string format');
  }
}
