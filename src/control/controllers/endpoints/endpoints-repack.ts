// Endpoints subsets as values: their shapes, upstream's RepackSubsets, ordering and equality.
//
// RepackSubsets (pkg/api/v1/endpoints): every (address, port) pair is collected, addresses
// deduplicated by IP + targetRef.uid (the first copy seen is kept), "not ready" wins over "ready"
// for the same address and port, and ports offered by exactly the same addresses (with the same
// readiness) are grouped into one subset. A subset without ports keeps its addresses under a
// sentinel port (-1) that never appears in the output.
// Ordering: addresses by IP (Go string order), then targetRef.uid, an address without a
// targetRef first (LessEndpointAddress). Upstream orders ports and subsets by the MD5 of a spew
// dump, a stable but arbitrary order; miniku orders ports by (name, port, protocol,
// appProtocol) and subsets by their canonical JSON. Both are total, so output is deterministic.
// Empty lists are left out, as Go's `omitempty` does.

import { canonicalStringify } from '../../api/values/canonical-json.js';
import { compareGoStrings } from '../../api/values/go-format.js';

/** core/v1 ObjectReference as the controller writes it (empty fields absent). */
export interface EndpointTargetRef {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: EndpointTargetRef;
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

const sentinelPort: EndpointPort = { port: -1 };

function compareNumbers(a: number, b: number): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** LessEndpointAddress as a total comparator. */
export function compareAddresses(a: EndpointAddress, b: EndpointAddress): -1 | 0 | 1 {
  const byIp = compareGoStrings(a.ip, b.ip);
  if (byIp !== 0) return byIp;
  if (a.targetRef === undefined) return b.targetRef === undefined ? 0 : -1;
  if (b.targetRef === undefined) return 1;
  return compareGoStrings(a.targetRef.uid ?? '', b.targetRef.uid ?? '');
}

export function comparePorts(a: EndpointPort, b: EndpointPort): -1 | 0 | 1 {
  return (
    compareGoStrings(a.name ?? '', b.name ?? '') ||
    compareNumbers(a.port, b.port) ||
    compareGoStrings(a.protocol ?? '', b.protocol ?? '') ||
    compareGoStrings(a.appProtocol ?? '', b.appProtocol ?? '')
  );
}

/** The dedup key of an address: IP and the uid of its target (addressKey upstream). */
function addressKey(address: EndpointAddress): string {
  return `${address.ip}\u0000${address.targetRef?.uid ?? ''}`;
}

function portKey(port: EndpointPort): string {
  return JSON.stringify([port.name ?? '', port.port, port.protocol ?? '', port.appProtocol ?? '']);
}

interface PortEntry {
  port: EndpointPort;
  /** address key → ready, in first-seen order. */
  readiness: Map<string, boolean>;
}

interface Collected {
  addresses: Map<string, EndpointAddress>;
  ports: Map<string, PortEntry>;
}

function collect(
  collected: Collected,
  address: EndpointAddress,
  port: EndpointPort,
  ready: boolean,
): void {
  const key = addressKey(address);
  if (!collected.addresses.has(key)) collected.addresses.set(key, address);
  const id = portKey(port);
  let entry = collected.ports.get(id);
  if (entry === undefined) {
    entry = { port, readiness: new Map() };
    collected.ports.set(id, entry);
  }
  // Not ready trumps ready: only an unseen or so-far-ready pair takes the new state.
  if (entry.readiness.get(key) !== false) entry.readiness.set(key, ready);
}

/** The identity of an address set with readiness, independent of insertion order. */
function readinessKey(readiness: Map<string, boolean>): string {
  const pairs = [...readiness].map(([key, ready]) => `${ready ? '1' : '0'}${key}`);
  return JSON.stringify(pairs.sort(compareGoStrings));
}

/** Drops empty lists, as Go's omitempty does. */
function subsetOf(ready: EndpointAddress[], notReady: EndpointAddress[], ports: EndpointPort[]) {
  const subset: EndpointSubset = {};
  if (ready.length > 0) subset.addresses = ready;
  if (notReady.length > 0) subset.notReadyAddresses = notReady;
  if (ports.length > 0) subset.ports = ports;
  return subset;
}

/** Sorts addresses and ports inside each subset, then the subsets (see the file comment). */
export function sortSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const sorted = subsets.map((subset) => {
    const ready = [...(subset.addresses ?? [])].sort(compareAddresses);
    const notReady = [...(subset.notReadyAddresses ?? [])].sort(compareAddresses);
    const ports = [...(subset.ports ?? [])].sort(comparePorts);
    return subsetOf(ready, notReady, ports);
  });
  const keyed = sorted.map((subset) => ({ key: canonicalStringify(subset), subset }));
  keyed.sort((a, b) => compareGoStrings(a.key, b.key));
  return keyed.map((entry) => entry.subset);
}

/** RepackSubsets: the canonical, deduplicated form of `subsets` (see the file comment). */
export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const collected: Collected = { addresses: new Map(), ports: new Map() };
  for (const subset of subsets) {
    const ports = subset.ports ?? [];
    for (const port of ports.length === 0 ? [sentinelPort] : ports) {
      for (const address of subset.addresses ?? []) collect(collected, address, port, true);
      for (const address of subset.notReadyAddresses ?? []) {
        collect(collected, address, port, false);
      }
    }
  }
  const groups = new Map<string, { readiness: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const entry of collected.ports.values()) {
    const key = readinessKey(entry.readiness);
    let group = groups.get(key);
    if (group === undefined) {
      group = { readiness: entry.readiness, ports: [] };
      groups.set(key, group);
    }
    if (entry.port.port > 0) group.ports.push(entry.port);
  }
  const repacked: EndpointSubset[] = [];
  for (const group of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [key, isReady] of group.readiness) {
      const address = collected.addresses.get(key) as EndpointAddress;
      (isReady ? ready : notReady).push(address);
    }
    repacked.push(subsetOf(ready, notReady, group.ports));
  }
  return sortSubsets(repacked);
}

/** Addresses (ready + not ready) over all subsets. */
export function addressCount(subsets: readonly EndpointSubset[]): number {
  let count = 0;
  for (const subset of subsets) {
    count += (subset.addresses?.length ?? 0) + (subset.notReadyAddresses?.length ?? 0);
  }
  return count;
}
