// The namespace controller's pure decisions: which step a namespace needs, the pod grace
// estimate, the content verdict with upstream's messages, the requeue delay and the conditions.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextNamespaceConditions } from '../../src/control/controllers/namespace/namespace-conditions.js';
import {
  aggregateText,
  finalizersWithout,
  judgeContent,
  planContentOutcome,
  planNamespaceStep,
  podGraceEstimateSeconds,
  type ContentObservation,
} from '../../src/control/controllers/namespace/namespace-plan.js';
import type { KubeObject } from '../../src/control/client/types.js';

function ns(
  deletionTimestamp: string | undefined,
  phase: string,
  finalizers: string[],
): KubeObject {
  return {
    metadata: { name: 'shop', ...(deletionTimestamp ? { deletionTimestamp } : {}) },
    spec: { finalizers },
    status: { phase },
  };
}

const pods = { group: '', version: 'v1', plural: 'pods' };
const deployments = { group: 'apps', version: 'v1', plural: 'deployments' };
const gone = (resource: ContentObservation['resource']): ContentObservation => ({
  resource,
  estimateSeconds: 0,
  remaining: [],
});

describe('planNamespaceStep', () => {
  it.each([
    {
      what: 'an active namespace',
      object: ns(undefined, 'Active', ['kubernetes']),
      step: 'ignore',
    },
    {
      what: 'a deleted namespace not yet marked Terminating',
      object: ns('2026-01-01T00:00:00Z', 'Active', ['kubernetes']),
      step: 'markTerminating',
    },
    {
      what: 'a terminating namespace holding the token',
      object: ns('2026-01-01T00:00:00Z', 'Terminating', ['kubernetes']),
      step: 'deleteContent',
    },
    {
      what: 'a terminating namespace held only by another finalizer',
      object: ns('2026-01-01T00:00:00Z', 'Terminating', ['example.com/x']),
      step: 'deleteContent',
    },
    {
      what: 'a terminating namespace with no spec finalizers',
      object: ns('2026-01-01T00:00:00Z', 'Terminating', []),
      step: 'finalized',
    },
  ])('$what → $step', ({ object, step }) => {
    expect(planNamespaceStep(object)).toBe(step);
  });
});

describe('finalizersWithout', () => {
  it('drops the token and returns a sorted set', () => {
    expect(finalizersWithout(['kubernetes', 'z.io/b', 'a.io/a', 'z.io/b'], 'kubernetes')).toEqual([
      'a.io/a',
      'z.io/b',
    ]);
  });

  it('never keeps the token, never invents a finalizer, and is sorted and unique', () => {
    const name = fc.constantFrom('kubernetes', 'a.io/x', 'b.io/y', 'c.io/z');
    fc.assert(
      fc.property(fc.array(name, { maxLength: 8 }), (finalizers) => {
        const out = finalizersWithout(finalizers, 'kubernetes');
        expect(out).not.toContain('kubernetes');
        for (const f of out) expect(finalizers).toContain(f);
        for (const f of finalizers) if (f !== 'kubernetes') expect(out).toContain(f);
        expect(new Set(out).size).toBe(out.length);
        expect([...out].sort()).toEqual(out);
      }),
      { numRuns: 200 },
    );
  });
});

describe('podGraceEstimateSeconds', () => {
  const pod = (grace: number | undefined, phase = 'Running'): KubeObject => ({
    metadata: { name: 'p' },
    spec: grace === undefined ? {} : { terminationGracePeriodSeconds: grace },
    status: { phase },
  });
  it.each([
    { what: 'no pods', pods: [], elapsedMs: 0, estimate: 0 },
    {
      what: 'the longest grace period',
      pods: [pod(30), pod(60), pod(10)],
      elapsedMs: 0,
      estimate: 60,
    },
    {
      what: 'terminal pods skipped',
      pods: [pod(90, 'Succeeded'), pod(90, 'Failed'), pod(5)],
      elapsedMs: 0,
      estimate: 5,
    },
    { what: 'still inside the period', pods: [pod(30)], elapsedMs: 29_999, estimate: 30 },
    { what: 'the period has passed', pods: [pod(30)], elapsedMs: 30_000, estimate: 0 },
  ])('$what → $estimate', ({ pods, elapsedMs, estimate }) => {
    expect(podGraceEstimateSeconds(pods, 1_000_000, 1_000_000 + elapsedMs)).toBe(estimate);
  });
});

describe('judgeContent and planContentOutcome', () => {
  it('finalizes when every type is empty', () => {
    const verdict = judgeContent('shop', [gone(pods), gone(deployments)]);
    expect(verdict).toEqual({
      estimateSeconds: 0,
      errors: [],
      remainingByResource: [],
      remainingByFinalizer: [],
    });
    expect(planContentOutcome(verdict)).toEqual({ kind: 'finalize' });
  });

  it('waits estimate/2 + 1 seconds while pods terminate gracefully', () => {
    const verdict = judgeContent('shop', [
      { resource: pods, estimateSeconds: 30, remaining: [[], []] },
      gone(deployments),
    ]);
    expect(verdict.remainingByResource).toEqual([{ resource: 'pods.', count: 2 }]);
    expect(planContentOutcome(verdict)).toEqual({ kind: 'wait', requeueAfterMs: 16_000 });
  });

  it('assumes 15 s for objects held by finalizers', () => {
    const verdict = judgeContent('shop', [
      { resource: deployments, estimateSeconds: 0, remaining: [['example.com/x'], []] },
    ]);
    expect(verdict.estimateSeconds).toBe(15);
    expect(verdict.remainingByFinalizer).toEqual([{ finalizer: 'example.com/x', count: 1 }]);
    expect(planContentOutcome(verdict)).toEqual({ kind: 'wait', requeueAfterMs: 8_000 });
  });

  it('reports leftovers without finalizers or estimate as upstream does, and retries', () => {
    const verdict = judgeContent('shop', [
      { resource: pods, estimateSeconds: 0, remaining: [[]] },
      { resource: deployments, estimateSeconds: 0, error: 'the server is on fire' },
    ]);
    expect(verdict.errors).toEqual([
      'unexpected items still remain in namespace: shop for gvr: /v1, Resource=pods',
      'the server is on fire',
    ]);
    expect(planContentOutcome(verdict)).toEqual({
      kind: 'retry',
      message:
        '[unexpected items still remain in namespace: shop for gvr: /v1, Resource=pods, the server is on fire]',
    });
  });

  it('joins errors as an aggregate does', () => {
    expect(aggregateText(['a'])).toBe('a');
    expect(aggregateText(['a', 'a'])).toBe('a');
    expect(aggregateText(['a', 'b', 'a'])).toBe('[a, b]');
  });
});

describe('nextNamespaceConditions', () => {
  const now = '2026-01-01T00:00:10Z';
  const later = '2026-01-01T00:01:00Z';

  it('adds the five conditions, all False with their upstream texts, on a clean pass', () => {
    const next = nextNamespaceConditions([], judgeContent('shop', [gone(pods)]), now);
    expect(next.changed).toBe(true);
    expect(next.conditions).toEqual([
      {
        type: 'NamespaceDeletionDiscoveryFailure',
        status: 'False',
        lastTransitionTime: now,
        reason: 'ResourcesDiscovered',
        message: 'All resources successfully discovered',
      },
      {
        type: 'NamespaceDeletionGroupVersionParsingFailure',
        status: 'False',
        lastTransitionTime: now,
        reason: 'ParsedGroupVersions',
        message: 'All legacy kube types successfully parsed',
      },
      {
        type: 'NamespaceDeletionContentFailure',
        status: 'False',
        lastTransitionTime: now,
        reason: 'ContentDeleted',
        message: 'All content successfully deleted, may be waiting on finalization',
      },
      {
        type: 'NamespaceContentRemaining',
        status: 'False',
        lastTransitionTime: now,
        reason: 'ContentRemoved',
        message: 'All content successfully removed',
      },
      {
        type: 'NamespaceFinalizersRemaining',
        status: 'False',
        lastTransitionTime: now,
        reason: 'ContentRemoved',
        message: 'All content successfully removed',
      },
    ]);
  });

  it('describes what remains and moves the transition time only on a status flip', () => {
    const first = nextNamespaceConditions([], judgeContent('shop', [gone(pods)]), now);
    const stuck = judgeContent('shop', [
      { resource: pods, estimateSeconds: 30, remaining: [['example.com/a'], []] },
      { resource: deployments, estimateSeconds: 0, error: 'boom' },
    ]);
    const next = nextNamespaceConditions(first.conditions, stuck, later);
    const byType = Object.fromEntries(next.conditions.map((c) => [c.type, c]));
    expect(byType.NamespaceContentRemaining).toEqual({
      type: 'NamespaceContentRemaining',
      status: 'True',
      lastTransitionTime: later,
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: pods. has 2 resource instances',
    });
    expect(byType.NamespaceFinalizersRemaining?.message).toBe(
      'Some finalizers are remaining: example.com/a in 1 resource instances',
    );
    expect(byType.NamespaceDeletionContentFailure).toMatchObject({
      status: 'True',
      reason: 'ContentDeletionFailed',
      message: 'Failed to delete all resource types, 1 remaining: boom',
    });
    expect(byType.NamespaceDeletionDiscoveryFailure?.lastTransitionTime).toBe(now);
  });

  it('needs no write when nothing changed, whatever the verdict', () => {
    const observation = fc.record({
      remaining: fc.option(
        fc.array(fc.array(fc.constantFrom('a.io/x', 'b.io/y'), { maxLength: 2 }), { maxLength: 3 }),
        { nil: undefined },
      ),
      estimateSeconds: fc.integer({ min: 0, max: 60 }),
      error: fc.option(fc.constantFrom('boom', 'bang'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 3 }), (observations) => {
        const verdict = judgeContent(
          'shop',
          observations.map((o, i) => ({ ...o, resource: { ...pods, plural: `r${i}` } })),
        );
        const first = nextNamespaceConditions([], verdict, now);
        const second = nextNamespaceConditions(first.conditions, verdict, later);
        expect(second.changed).toBe(false);
        expect(second.conditions).toEqual(first.conditions);
      }),
      { numRuns: 200 },
    );
  });
});
