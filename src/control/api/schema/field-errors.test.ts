// Tests of field error rendering against apimachinery's wording.

import { describe, expect, it } from 'vitest';
import {
  duplicateError,
  fieldErrorBody,
  forbiddenError,
  formatAggregate,
  formatFieldError,
  formatInvalidMessage,
  invalidError,
  notSupportedError,
  requiredError,
  tooLongError,
} from './field-errors.js';
import { goFormatFloat } from './go-float.js';

describe('formatFieldError', () => {
  it.each([
    [requiredError('spec.containers'), 'spec.containers: Required value'],
    [
      requiredError('metadata.name', 'name or generateName is required'),
      'metadata.name: Required value: name or generateName is required',
    ],
    [
      invalidError('metadata.name', 'Foo_', 'bad name'),
      'metadata.name: Invalid value: "Foo_": bad name',
    ],
    [
      invalidError('spec.replicas', -1, 'must be greater than or equal to 0'),
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ],
    [invalidError('spec.x', true, 'd'), 'spec.x: Invalid value: true: d'],
    [invalidError('spec.x', null, 'd'), 'spec.x: Invalid value: null: d'],
    [
      notSupportedError('spec.restartPolicy', 'X', ['Always', 'OnFailure', 'Never']),
      'spec.restartPolicy: Unsupported value: "X": supported values: "Always", "OnFailure", "Never"',
    ],
    [
      duplicateError('spec.containers[1].name', 'c'),
      'spec.containers[1].name: Duplicate value: "c"',
    ],
    [
      forbiddenError('metadata.namespace', 'not allowed on this type'),
      'metadata.namespace: Forbidden: not allowed on this type',
    ],
    [
      tooLongError('metadata.annotations', 262144),
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ],
    [
      invalidError('spec.t', { a: 'x' }, 'd', 'map[string]string{"a":"x"}'),
      'spec.t: Invalid value: map[string]string{"a":"x"}: d',
    ],
  ])('renders %j as upstream does', (error, expected) => {
    expect(formatFieldError(error)).toBe(expected);
  });

  it('quotes bad values with Go escapes', () => {
    expect(formatFieldError(invalidError('f', 'a"b\n', 'd'))).toBe(
      'f: Invalid value: "a\\"b\\n": d',
    );
  });

  it('gives the body without the path for Status causes', () => {
    expect(fieldErrorBody(requiredError('spec.containers'))).toBe('Required value');
  });
});

describe('formatInvalidMessage', () => {
  it('shows a single error without brackets', () => {
    const message = formatInvalidMessage('Pod', 'x', [requiredError('spec.containers')]);
    expect(message).toBe('Pod "x" is invalid: spec.containers: Required value');
  });

  it('wraps several errors in brackets joined by commas', () => {
    const errors = [requiredError('spec.containers'), requiredError('metadata.namespace')];
    expect(formatInvalidMessage('Deployment.apps', 'web', errors)).toBe(
      'Deployment.apps "web" is invalid: [spec.containers: Required value, metadata.namespace: Required value]',
    );
  });

  it('drops duplicate messages like the aggregate does', () => {
    const errors = [requiredError('a'), requiredError('a')];
    expect(formatInvalidMessage('Pod', 'x', errors)).toBe('Pod "x" is invalid: a: Required value');
    expect(formatAggregate(['a', 'b', 'a'])).toBe('[a, b]');
  });

  it('has no suffix without errors', () => {
    expect(formatInvalidMessage('Pod', 'x', [])).toBe('Pod "x" is invalid');
  });
});

describe('goFormatFloat', () => {
  it.each([
    [3, '3'],
    [-1, '-1'],
    [1.5, '1.5'],
    [1234567.5, '1.2345675e+06'],
    [0.00001, '1e-05'],
  ])('prints %d as %s', (value, expected) => {
    expect(goFormatFloat(value)).toBe(expected);
  });
});
