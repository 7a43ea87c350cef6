// DefaultTolerationSeconds admission (plugin/pkg/admission/defaulttolerationseconds): every pod
// tolerates the node controller's not-ready and unreachable NoExecute taints for a while.
//
// On pod CREATE and UPDATE (not subresources) it appends
// `{key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: N}`
// and the same for `node.kubernetes.io/unreachable`, unless the pod already tolerates that taint:
// some toleration whose key is that key or empty AND whose effect is NoExecute or empty (the
// operator and value are not looked at). N defaults to 300 s (kube-apiserver
// --default-not-ready-toleration-seconds / --default-unreachable-toleration-seconds).
import type { AdmissionAttributes, AdmissionPlugin } from '../admission.js';
import type { Draft, DraftValue } from '../json-body.js';
import { isDraftObject } from '../json-body.js';
import { assert } from '../../util/assert.js';
import { draftSpecOf, isResource } from './attributes.js';

export const defaultTolerationSecondsPluginName = 'DefaultTolerationSeconds';

export const notReadyTaintKey = 'node.kubernetes.io/not-ready';
export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
export const defaultTolerationSecondsDefault = 300;

export interface DefaultTolerationSecondsOptions {
  /** tolerationSeconds of the not-ready toleration. Default 300. */
  notReadyTolerationSeconds?: number;
  /** tolerationSeconds of the unreachable toleration. Default 300. */
  unreachableTolerationSeconds?: number;
}

function tolerates(tolerations: readonly DraftValue[], key: string): boolean {
  return tolerations.some((toleration) => {
    if (!isDraftObject(toleration)) return false;
    const tKey = toleration.key ?? '';
    const effect = toleration.effect ?? '';
    return (tKey === key || tKey === '') && (effect === 'NoExecute' || effect === '');
  });
}

function toleration(key: string, seconds: number): Draft {
  return { key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds };
}

export function defaultTolerationSecondsPlugin(
  options: DefaultTolerationSecondsOptions = {},
): AdmissionPlugin {
  const notReadySeconds = options.notReadyTolerationSeconds ?? defaultTolerationSecondsDefault;
  const unreachableSeconds =
    options.unreachableTolerationSeconds ?? defaultTolerationSecondsDefault;
  assert(Number.isSafeInteger(notReadySeconds), 'notReadyTolerationSeconds must be an integer');
  assert(
    Number.isSafeInteger(unreachableSeconds),
    'unreachableTolerationSeconds must be an integer',
  );
  const admit = (attributes: AdmissionAttributes): undefined => {
    if (attributes.operation === 'DELETE' || attributes.subresource !== '') return undefined;
    if (!isResource(attributes.type, '', 'pods') || attributes.object === undefined) {
      return undefined;
    }
    const spec = draftSpecOf(attributes.object);
    const existing = Array.isArray(spec.tolerations) ? spec.tolerations : [];
    const added: Draft[] = [];
    if (!tolerates(existing, notReadyTaintKey)) {
      added.push(toleration(notReadyTaintKey, notReadySeconds));
    }
    if (!tolerates(existing, unreachableTaintKey)) {
      added.push(toleration(unreachableTaintKey, unreachableSeconds));
    }
    if (added.length > 0) spec.tolerations = [...existing, ...added];
    return undefined;
  };
  return { name: defaultTolerationSecondsPluginName, admit };
}
