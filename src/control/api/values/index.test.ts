// Tests that the public surface re-exports one working entry point per helper family.

import { describe, expect, it } from 'vitest';
import * as values from './index.js';

describe('api values index', () => {
  it('re-exports the quantity, selector, time, JSON and name helpers', () => {
    const q = values.parseQuantity('1.5Gi');
    expect(q && values.formatQuantity(q)).toBe('1536Mi');
    const labels = values.parseLabelSelector('app=web');
    expect(labels.ok && values.matchesLabels(labels.selector, { app: 'web' })).toBe(true);
    const fields = values.parseFieldSelector('spec.nodeName=n1');
    expect(fields.ok && values.fieldSelectorLabels(fields.selector)).toEqual(['spec.nodeName']);
    expect(values.formatTime(0)).toBe('1970-01-01T00:00:00Z');
    expect(values.canonicalStringify({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(values.validateDns1123Label('ok')).toEqual([]);
  });
});
