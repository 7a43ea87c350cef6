// Tests of RepackSubsets: grouping by port set, deduplication, not-ready precedence, ordering,
// and properties (idempotent, independent of input order, nothing lost).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EndpointAddress, EndpointPort, EndpointSubset } from './endpoints-repack.js';
import { compareAddresses, repackSubsets } from './endpoints-repack.js';

const address = (ip: string, uid?: string): EndpointAddress =>
  uid === undefined ? { ip } : { ip, targetRef: { kind: 'Pod', uid } };
const port = (number: number, name?: string): EndpointPort =>
  name === undefined ? { port: number, protocol: 'TCP' } : { name, port: number, protocol: 'TCP' };

describe('repackSubsets', () => {
  it('returns no subsets for no input', () => {
    expect(repackSubsets([])).toEqual([]);
  });

  it('merges single-address subsets that offer the same port', () => {
    const input: EndpointSubset[] = [
      { addresses: [address('10.0.0.2', 'b')], ports: [port(80)] },
      { addresses: [address('10.0.0.1', 'a')], ports: [port(80)] },
    ];
    expect(repackSubsets(input)).toEqual([
      { addresses: [address('10.0.0.1', 'a'), address('10.0.0.2', 'b')], ports: [port(80)] },
    ]);
  });

  it('groups ports offered by exactly the same addresses into one subset', () => {
    const a = address('10.0.0.1', 'a');
    const b = address('10.0.0.2', 'b');
    const c = address('10.0.0.3', 'c');
    const input: EndpointSubset[] = [
      { addresses: [a], ports: [port(443, 'https')] },
      { addresses: [c], ports: [port(8080, 'alt')] },
      { addresses: [b], ports: [port(80, 'http')] },
      { addresses: [a], ports: [port(80, 'http')] },
      { addresses: [b], ports: [port(443, 'https')] },
    ];
    expect(repackSubsets(input)).toEqual([
      { addresses: [a, b], ports: [port(80, 'http'), port(443, 'https')] },
      { addresses: [c], ports: [port(8080, 'alt')] },
    ]);
  });

  it('lets not ready win over ready for the same address and port', () => {
    const input: EndpointSubset[] = [
      { addresses: [address('10.0.0.1', 'a')], ports: [port(80)] },
      { notReadyAddresses: [address('10.0.0.1', 'a')], ports: [port(80)] },
      { addresses: [address('10.0.0.1', 'a')], ports: [port(80)] },
    ];
    expect(repackSubsets(input)).toEqual([
      { notReadyAddresses: [address('10.0.0.1', 'a')], ports: [port(80)] },
    ]);
  });

  it('keeps addresses of subsets without ports, under no port', () => {
    const input: EndpointSubset[] = [
      { addresses: [address('10.0.0.2', 'b')] },
      { notReadyAddresses: [address('10.0.0.1', 'a')], ports: [] },
    ];
    expect(repackSubsets(input)).toEqual([
      { addresses: [address('10.0.0.2', 'b')], notReadyAddresses: [address('10.0.0.1', 'a')] },
    ]);
  });

  it('keeps the same IP twice when the targets differ, ordered by uid', () => {
    const input: EndpointSubset[] = [
      { addresses: [address('10.0.0.1', 'z'), address('10.0.0.1', 'a')], ports: [port(80)] },
      { addresses: [address('10.0.0.1')], ports: [port(80)] },
    ];
    const ips = repackSubsets(input)[0]?.addresses?.map((a) => a.targetRef?.uid ?? '-');
    expect(ips).toEqual(['-', 'a', 'z']);
  });

  it('orders addresses by IP as Go compares strings, not numerically', () => {
    const sorted = [address('10.0.0.10'), address('10.0.0.9'), address('10.0.0.1')].sort(
      compareAddresses,
    );
    expect(sorted.map((a) => a.ip)).toEqual(['10.0.0.1', '10.0.0.10', '10.0.0.9']);
  });
});

const addressArbitrary = fc
  .record({ host: fc.integer({ min: 1, max: 6 }), uid: fc.constantFrom('a', 'b', undefined) })
  .map(({ host, uid }) => address(`10.0.0.${host}`, uid));
const subsetArbitrary: fc.Arbitrary<EndpointSubset> = fc
  .record({
    ready: fc.array(addressArbitrary, { maxLength: 3 }),
    notReady: fc.array(addressArbitrary, { maxLength: 2 }),
    ports: fc.array(
      fc.integer({ min: 80, max: 83 }).map((n) => port(n)),
      { maxLength: 2 },
    ),
  })
  .map(({ ready, notReady, ports }) => ({
    addresses: ready,
    notReadyAddresses: notReady,
    ports,
  }));

/** Every (ip/uid, port, ready) triple a list of subsets states, after not-ready precedence. */
function triples(subsets: readonly EndpointSubset[]): string[] {
  const state = new Map<string, boolean>();
  for (const subset of subsets) {
    const ports = subset.ports?.length ? subset.ports.map((p) => p.port) : [-1];
    for (const p of ports) {
      const mark = (a: EndpointAddress, ready: boolean) => {
        const key = `${a.ip}/${a.targetRef?.uid ?? ''}@${p}`;
        if (state.get(key) !== false) state.set(key, ready);
      };
      for (const a of subset.addresses ?? []) mark(a, true);
      for (const a of subset.notReadyAddresses ?? []) mark(a, false);
    }
  }
  return [...state].map(([key, ready]) => `${key}:${ready}`).sort();
}

describe('repackSubsets properties', () => {
  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.array(subsetArbitrary, { maxLength: 6 }), (subsets) => {
        const once = repackSubsets(subsets);
        expect(repackSubsets(once)).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });

  it('does not depend on the order of its input', () => {
    fc.assert(
      fc.property(
        fc
          .array(subsetArbitrary, { maxLength: 6 })
          .chain((subsets) =>
            fc.tuple(
              fc.constant(subsets),
              fc.shuffledSubarray(subsets, { minLength: subsets.length }),
            ),
          ),
        ([subsets, shuffled]) => {
          expect(repackSubsets(shuffled)).toEqual(repackSubsets(subsets));
        },
      ),
      { numRuns: 200 },
    );
  });

  // A portless address (sentinel port -1) joins the subset of the same address set that has
  // ports, as upstream's RepackSubsets groups the sentinel with them; so the sentinel triples
  // are compared only as addresses that must still appear.
  it('states exactly the address, port and readiness triples of its input', () => {
    const withPorts = (all: string[]) => all.filter((t) => !t.includes('@-1:'));
    const addresses = (all: string[]) => [...new Set(all.map((t) => t.split('@')[0]))].sort();
    fc.assert(
      fc.property(fc.array(subsetArbitrary, { maxLength: 6 }), (subsets) => {
        const out = triples(repackSubsets(subsets));
        const input = triples(subsets);
        expect(withPorts(out)).toEqual(withPorts(input));
        expect(addresses(out)).toEqual(addresses(input));
      }),
      { numRuns: 200 },
    );
  });

  it('merges a portless address into the subset where the same address has a port', () => {
    const address = { ip: '10.0.0.2', targetRef: { kind: 'Pod', uid: 'a' } };
    const repacked = repackSubsets([
      { addresses: [address] },
      { addresses: [address], ports: [{ port: 80, protocol: 'TCP' }] },
    ]);
    expect(repacked).toEqual([{ addresses: [address], ports: [{ port: 80, protocol: 'TCP' }] }]);
  });
});
