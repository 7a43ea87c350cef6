// Tests of Accept negotiation: which clause wins and when the answer is 406 NotAcceptable.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { negotiateOutput, parseAccept } from './negotiate.js';

const kubectlGet =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

describe('negotiateOutput', () => {
  it('answers the plain object when there is no Accept header', () => {
    expect(negotiateOutput(undefined)).toEqual({ ok: true, target: { kind: 'object' } });
    expect(negotiateOutput('  ')).toEqual({ ok: true, target: { kind: 'object' } });
  });

  it("picks a v1 Table for kubectl get's Accept header", () => {
    expect(negotiateOutput(kubectlGet)).toEqual({
      ok: true,
      target: { kind: 'table', version: 'v1' },
    });
  });

  it('falls back to v1beta1 when v1 is not offered, and to the object after an unknown kind', () => {
    const beta = 'application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
    expect(negotiateOutput(beta)).toEqual({
      ok: true,
      target: { kind: 'table', version: 'v1beta1' },
    });
    const unknown = 'application/json;as=Tabular;v=v1;g=meta.k8s.io,application/json';
    expect(negotiateOutput(unknown)).toEqual({ ok: true, target: { kind: 'object' } });
  });

  it('prefers the clause with the higher q, then concrete media types over wildcards', () => {
    const weighted = 'application/json;q=0.5,application/json;as=Table;g=meta.k8s.io;v=v1';
    expect(negotiateOutput(weighted)).toEqual({
      ok: true,
      target: { kind: 'table', version: 'v1' },
    });
    const wild = '*/*;as=Table;g=meta.k8s.io;v=v1,application/json';
    expect(negotiateOutput(wild)).toEqual({ ok: true, target: { kind: 'object' } });
  });

  it('accepts wildcard media ranges carrying a conversion', () => {
    expect(negotiateOutput('*/*;as=Table;g=meta.k8s.io;v=v1')).toEqual({
      ok: true,
      target: { kind: 'table', version: 'v1' },
    });
    expect(
      negotiateOutput('application/*;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1'),
    ).toEqual({ ok: true, target: { kind: 'partialObjectMetadataList', version: 'v1' } });
  });

  it.each([
    ['a Table in protobuf', 'application/vnd.kubernetes.protobuf;as=Table;g=meta.k8s.io;v=v1beta1'],
    ['a bad version', 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1alpha1'],
    ['a bad group', 'application/json;as=PartialObjectMetadata;g=k8s.io;v=v1beta1'],
    ['a bad kind', 'application/json;as=PartialObject;g=meta.k8s.io;v=v1beta1'],
    ['a missing kind', 'application/json;g=meta.k8s.io;v=v1beta1'],
    ['a media type miniku does not serve', 'text/html'],
  ])('refuses %s with 406 and upstream message', (_what, accept) => {
    const result = negotiateOutput(accept);
    expect(result).toEqual({
      ok: false,
      error: {
        code: 406,
        reason: 'NotAcceptable',
        message:
          'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
      },
    });
  });

  it('still answers yaml and protobuf requests without a conversion with the object', () => {
    expect(negotiateOutput('application/yaml')).toEqual({ ok: true, target: { kind: 'object' } });
    expect(negotiateOutput('application/vnd.kubernetes.protobuf, */*')).toEqual({
      ok: true,
      target: { kind: 'object' },
    });
  });
});

describe('parseAccept', () => {
  it('skips malformed ranges and reads parameters with spaces', () => {
    const clauses = parseAccept('garbage, application/json ; as = Table ;g=meta.k8s.io, */*');
    expect(clauses.map((c) => `${c.type}/${c.subType}`)).toEqual(['application/json', '*/*']);
    expect(clauses[0]?.params.get('as')).toBe('Table');
  });

  it('never throws and keeps at most a bounded number of clauses', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (header) => {
        expect(parseAccept(header).length).toBeLessThanOrEqual(32);
        const result = negotiateOutput(header);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});
