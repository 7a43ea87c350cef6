// The built-in admission plugins driven by the type schemas (defaulting, validation) and the
// default admission chain that adds the store-reading plugins of admission/.
import { applyDefaults, formatFieldError, validateObject } from '../api/index.js';
import { qualifiedKind } from '../api/registry.js';
import type { JsonObject } from '../store/types.js';
import type { AdmissionPlugin } from './admission.js';
import type { AdmissionStoreReader } from './admission/attributes.js';
import { defaultTolerationSecondsPlugin } from './admission/default-toleration-seconds.js';
import { namespaceLifecyclePlugin } from './admission/namespace-lifecycle.js';
import { priorityPlugin } from './admission/priority.js';
import type { Draft } from './json-body.js';
import type { StatusCause } from './status.js';
import { invalid } from './status.js';

/** Fills upstream defaults from the schema (pods, workloads, services, ...). */
export const defaultingPlugin: AdmissionPlugin = {
  name: 'Defaulting',
  admit(attributes) {
    if (attributes.object === undefined) return undefined;
    const operation = attributes.operation === 'CREATE' ? 'create' : 'update';
    const defaulted = applyDefaults(attributes.type, attributes.object as unknown as JsonObject, {
      operation,
    });
    attributes.object = defaulted as unknown as Draft;
    return undefined;
  },
};

/** Rejects objects the schema's validation finds fault with: 422 Invalid with causes. */
export const validationPlugin: AdmissionPlugin = {
  name: 'Validation',
  validate(attributes) {
    if (attributes.object === undefined) return undefined;
    const errors = validateObject(attributes.type, attributes.object as unknown as JsonObject, {
      operation: attributes.operation === 'CREATE' ? 'create' : 'update',
      old: attributes.oldObject,
    });
    if (errors.length === 0) return undefined;
    const messages: string[] = [];
    const causes: StatusCause[] = [];
    for (const e of errors) {
      const message = formatFieldError(e);
      if (messages.includes(message)) continue;
      messages.push(message);
      causes.push({ reason: e.type, message: message.slice(e.field.length + 2), field: e.field });
    }
    return invalid(
      qualifiedKind(attributes.type),
      attributes.type.group,
      attributes.name,
      messages,
      causes,
    );
  },
};

/** Schema defaulting and validation only: what the API server uses without a store reader. */
export function defaultAdmissionPlugins(): AdmissionPlugin[] {
  return [defaultingPlugin, validationPlugin];
}

/** Settings of the default chain (kube-apiserver flags), for scenarios to override. */
export interface AdmissionChainOptions {
  /** --default-not-ready-toleration-seconds. Default 300. */
  defaultNotReadyTolerationSeconds?: number;
  /** --default-unreachable-toleration-seconds. Default 300. */
  defaultUnreachableTolerationSeconds?: number;
}

/**
 * The chain the API server runs on every write, in upstream's phase order. runAdmission calls
 * every `admit` in list order, then every `validate` in list order, so this list yields:
 * - mutating phase: Defaulting (upstream defaults while decoding, before admission),
 *   NamespaceLifecycle, Priority, DefaultTolerationSeconds;
 * - validating phase: Validation (the registry's schema validation), then Priority's
 *   PriorityClass check (upstream's validating admission runs after the registry validated).
 */
export function defaultAdmissionChain(options: {
  store: AdmissionStoreReader;
  options?: AdmissionChainOptions;
}): AdmissionPlugin[] {
  const settings = options.options ?? {};
  return [
    defaultingPlugin,
    namespaceLifecyclePlugin({ store: options.store }),
    validationPlugin,
    priorityPlugin({ store: options.store }),
    defaultTolerationSecondsPlugin({
      notReadyTolerationSeconds: settings.defaultNotReadyTolerationSeconds,
      unreachableTolerationSeconds: settings.defaultUnreachableTolerationSeconds,
    }),
  ];
}
