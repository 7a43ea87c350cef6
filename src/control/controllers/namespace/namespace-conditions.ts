// The status conditions the namespace controller keeps on a terminating namespace
// (pkg/controller/namespace/deletion/status_condition_utils.go): one per type, True with details
// while something is wrong, else False with the "all is well" reason and message.
import { compareGoStrings } from '../../api/values/go-format.js';
import type { ContentVerdict } from './namespace-plan.js';

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime: string;
  reason: string;
  message: string;
}

interface ConditionText {
  reason: string;
  message: string;
}

/** Maintained types, in the order upstream appends them, with their "ok" texts. */
const okTexts: ReadonlyArray<[string, ConditionText]> = [
  [
    'NamespaceDeletionDiscoveryFailure',
    { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  ],
  [
    'NamespaceDeletionGroupVersionParsingFailure',
    { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  ],
  [
    'NamespaceDeletionContentFailure',
    {
      reason: 'ContentDeleted',
      message: 'All content successfully deleted, may be waiting on finalization',
    },
  ],
  [
    'NamespaceContentRemaining',
    { reason: 'ContentRemoved', message: 'All content successfully removed' },
  ],
  [
    'NamespaceFinalizersRemaining',
    { reason: 'ContentRemoved', message: 'All content successfully removed' },
  ],
];

export const namespaceConditionTypes: readonly string[] = okTexts.map(([type]) => type);

function sortedText(items: string[]): string {
  return items.sort(compareGoStrings).join(', ');
}

/** The failing (True) conditions a content verdict calls for, by type. */
function failures(verdict: ContentVerdict): Map<string, ConditionText> {
  const out = new Map<string, ConditionText>();
  if (verdict.errors.length > 0) {
    const messages = sortedText([...verdict.errors]);
    const count = verdict.errors.length;
    out.set('NamespaceDeletionContentFailure', {
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${count} remaining: ${messages}`,
    });
  }
  if (verdict.remainingByResource.length > 0) {
    const parts = verdict.remainingByResource.map(
      (r) => `${r.resource} has ${r.count} resource instances`,
    );
    out.set('NamespaceContentRemaining', {
      reason: 'SomeResourcesRemain',
      message: `Some resources are remaining: ${sortedText(parts)}`,
    });
  }
  if (verdict.remainingByFinalizer.length > 0) {
    const parts = verdict.remainingByFinalizer.map(
      (f) => `${f.finalizer} in ${f.count} resource instances`,
    );
    out.set('NamespaceFinalizersRemaining', {
      reason: 'SomeFinalizerRemain',
      message: `Some finalizers are remaining: ${sortedText(parts)}`,
    });
  }
  return out;
}

/**
 * The namespace's conditions after a content pass (updateConditions): absent types are appended,
 * changed ones rewritten in place (lastTransitionTime moves only when the status flips), other
 * conditions kept. `changed` says whether a status write is needed.
 */
export function nextNamespaceConditions(
  existing: readonly NamespaceCondition[],
  verdict: ContentVerdict,
  nowText: string,
): { conditions: NamespaceCondition[]; changed: boolean } {
  const conditions = existing.map((c) => ({ ...c }));
  const failing = failures(verdict);
  let changed = false;
  for (const [type, ok] of okTexts) {
    const failure = failing.get(type);
    const text = failure ?? ok;
    const status = failure === undefined ? 'False' : 'True';
    const old = conditions.find((c) => c.type === type);
    if (old === undefined) {
      conditions.push({ type, status, lastTransitionTime: nowText, ...text });
      changed = true;
      continue;
    }
    if (old.status === status && old.reason === text.reason && old.message === text.message) {
      continue;
    }
    if (old.status !== status) old.lastTransitionTime = nowText;
    old.status = status;
    old.reason = text.reason;
    old.message = text.message;
    changed = true;
  }
  return { conditions, changed };
}
