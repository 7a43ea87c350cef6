// Declarations shared by several parts of the scenario format: names, label keys and values,
// selectors, quantities, durations with distributions, endpoints, object references, field paths.
import {
  parseLabelSelector,
  validateLabelKey,
  validateLabelValue,
} from '../../control/api/values/labels.js';
import { validateDns1123Label, validateDns1123Subdomain } from '../../control/api/values/names.js';
import { parseQuantity, quantityValue } from '../../control/api/values/quantity.js';
import { findResourceByKind, resourceTypes } from '../../control/api/registry.js';
import { quote } from './scenario-errors.js';
import type { Distribution, FieldPath, ObjectRef, PodTarget } from './scenario-model.js';
import { duration, field, int, invalid, list, map, object, str, union } from './schema-dsl.js';
import type { BuildContext, StringType, ValueCheck } from './schema-dsl.js';

function firstProblem(problems: readonly string[]): string | undefined {
  return problems[0];
}

export const dnsLabelPattern = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

export function dnsLabel(label = 'a DNS label such as "web-1"'): StringType {
  return str({
    label,
    docName: 'DNS label',
    pattern: dnsLabelPattern,
    check: (v) => firstProblem(validateDns1123Label(v)),
  });
}

export function dnsSubdomain(): StringType {
  return str({
    label: 'a DNS subdomain such as "web.example"',
    docName: 'DNS subdomain',
    check: (v) => firstProblem(validateDns1123Subdomain(v)),
  });
}

export const labelKey = str({
  label: 'a label key',
  docName: 'label key',
  check: (v) => firstProblem(validateLabelKey(v)),
});

export const labelValue = str({
  label: 'a label value',
  docName: 'label value',
  check: (v) => firstProblem(validateLabelValue(v)),
});

export const labelMap = map('label key', labelKey, labelValue);

const checkSelector: ValueCheck<string> = (text) => {
  const parsed = parseLabelSelector(text);
  return parsed.ok ? undefined : `invalid label selector ${quote(text)}: ${parsed.message}`;
};

export const labelSelector = str({
  label: 'a label selector such as "app=web,tier!=db"',
  docName: 'label selector',
  check: checkSelector,
});

/** A node name `<pool>-<index>`; whether it exists is checked against the pools later. */
export const nodeName = { ...dnsSubdomain(), docName: 'node name' };

/** A resource quantity written as a string (`"500m"`, `8Gi`) or a whole number (`4`). */
export const quantity = union({
  label: 'a quantity such as "4", "500m" or "8Gi"',
  docName: 'quantity',
  variants: [
    str({
      check: (v) => (parseQuantity(v) === undefined ? `invalid quantity ${quote(v)}` : undefined),
    }),
    int({ min: 0 }),
  ],
  build: (value: string | number, _variant, context) => {
    const text = String(value);
    if (text.startsWith('-')) {
      context.error([], 'must not be negative');
      return invalid;
    }
    return text;
  },
});

/** A quantity of bytes (`512Mi`, `1G`, `1048576`) as an integer count of bytes. */
export const byteQuantity = union({
  label: 'a byte quantity such as "512Mi"',
  docName: 'byte quantity',
  variants: quantity.variants,
  build: (value: string | number, _variant, context) => {
    const parsed = parseQuantity(String(value));
    if (parsed === undefined) return invalid;
    // Bound the exponent before computing: quantityValue's cost grows with it.
    const bytes = parsed.scale < -20 ? undefined : quantityValue(parsed);
    if (bytes === undefined || parsed.numerator < 0n || bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
      context.error([], 'must be a non-negative number of bytes below 2^53');
      return invalid;
    }
    return Number(bytes);
  },
});

const uniformRange = list(duration(), { minItems: 2, maxItems: 2 });

const distributionObject = object({
  name: 'Distribution',
  doc:
    "A random duration. Each use draws its own value from the scenario's seeded streams; a " +
    'draw below 0 counts as 0.',
  fields: {},
  groups: [
    {
      name: 'distribution',
      label: 'distribution',
      required: true,
      options: {
        uniform: { type: uniformRange, doc: '`[min, max]`: uniform between the two durations.' },
        exponential: { type: duration({ positive: true }), doc: 'Exponential with this mean.' },
        normal: {
          type: object({
            name: 'NormalDistribution',
            doc: 'A normal distribution.',
            fields: {
              mean: field(duration(), 'The mean.', { required: true }),
              stddev: field(duration(), 'The standard deviation.', { required: true }),
            },
          }),
          doc: 'Normal with this mean and standard deviation.',
        },
      },
    },
  ],
  build: buildDistribution,
});

type DistributionInput = {
  distribution:
    | { kind: 'uniform'; uniform: number[] }
    | { kind: 'exponential'; exponentialMs: number }
    | { kind: 'normal'; meanMs: number; stddevMs: number };
};

function buildDistribution(value: DistributionInput, context: BuildContext): unknown {
  const d = value.distribution;
  if (d.kind === 'exponential') return { kind: 'exponential', meanMs: d.exponentialMs };
  if (d.kind === 'normal') return { kind: 'normal', meanMs: d.meanMs, stddevMs: d.stddevMs };
  const [minMs = 0, maxMs = 0] = d.uniform;
  if (minMs > maxMs) {
    context.error(['uniform'], 'the minimum must not be above the maximum');
    return invalid;
  }
  return { kind: 'uniform', minMs, maxMs };
}

/** A duration string (a constant) or a distribution object. */
export const durationOrDistribution = union({
  label: 'a duration such as "2s" or a distribution such as {uniform: [1s, 3s]}',
  variants: [duration(), distributionObject],
  build: (value: number | Distribution, variant): Distribution =>
    variant === 0 ? { kind: 'constant', valueMs: value as number } : (value as Distribution),
});

const fixedEndpoints = ['apiserver', 'scheduler', 'controller-manager'];

function checkEndpoint(text: string): string | undefined {
  if (fixedEndpoints.includes(text)) return undefined;
  const slash = text.indexOf('/');
  const prefix = text.slice(0, slash);
  const name = text.slice(slash + 1);
  const usage = '(use apiserver, scheduler, controller-manager, node/<name> or client/<name>)';
  if (slash < 0 || (prefix !== 'node' && prefix !== 'client')) {
    return `unknown endpoint ${quote(text)} ${usage}`;
  }
  const problem = firstProblem(
    prefix === 'node' ? validateDns1123Subdomain(name) : validateDns1123Label(name),
  );
  return problem === undefined ? undefined : `invalid endpoint ${quote(text)}: ${problem}`;
}

export const endpoint = str({
  label: 'an endpoint such as "apiserver" or "node/worker-0"',
  docName: 'endpoint',
  pattern: '^(apiserver|scheduler|controller-manager|node/[a-z0-9.-]+|client/[a-z0-9-]+)$',
  check: checkEndpoint,
});

export const endpointList = list(endpoint, { minItems: 1 });

function checkKnownKind(ref: ObjectRef, context: BuildContext): boolean {
  const type = findResourceByKind(ref.apiVersion, ref.kind);
  if (type === undefined) {
    const versions = resourceTypes.filter((t) => t.kind === ref.kind).map((t) => t.apiVersion);
    if (versions.length === 0) context.error(['kind'], `unknown kind ${quote(ref.kind)}`);
    else
      context.error(
        ['apiVersion'],
        `kind ${quote(ref.kind)} is served as ${versions.map(quote).join(', ')}`,
      );
    return false;
  }
  if (type.namespaced && ref.namespace === undefined) {
    context.error(['namespace'], `missing required field (${ref.kind} is namespaced)`);
    return false;
  }
  if (!type.namespaced && ref.namespace !== undefined) {
    context.error(['namespace'], `${ref.kind} is not namespaced`);
    return false;
  }
  return true;
}

export const objectRefFields = {
  apiVersion: field(str({ minLength: 1 }), 'API version of the object, e.g. `apps/v1`.', {
    required: true,
  }),
  kind: field(str({ minLength: 1 }), 'Kind of the object, e.g. `Deployment`.', { required: true }),
  namespace: field(dnsLabel(), 'Namespace; required for namespaced kinds, forbidden otherwise.'),
  name: field(dnsSubdomain(), 'Name of the object.', { required: true }),
};

export const objectRef = object({
  name: 'ObjectRef',
  doc: 'One Kubernetes object, named by API version, kind, namespace and name.',
  fields: objectRefFields,
  build: (value: ObjectRef, context: BuildContext) =>
    checkKnownKind(value, context) ? value : invalid,
});

export { checkKnownKind };

/** Parses `metadata.labels['app']`, `spec.containers[0].image`; a message when malformed. */
export function parseFieldPath(
  text: string,
): { ok: true; path: FieldPath } | { ok: false; message: string } {
  const token = /(?:^|\.)([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  const path: FieldPath = [];
  while (token.lastIndex < text.length) {
    const start = token.lastIndex;
    const match = token.exec(text);
    if (match === null || token.lastIndex === start) {
      return { ok: false, message: `invalid field path ${quote(text)} at character ${start + 1}` };
    }
    const [, name, index, single, double] = match;
    if (index !== undefined) path.push(Number(index));
    else path.push(name ?? single ?? double ?? '');
  }
  if (path.length === 0 || typeof path[0] !== 'string') {
    return {
      ok: false,
      message: `invalid field path ${quote(text)}: must start with a field name`,
    };
  }
  return { ok: true, path };
}

export const fieldPathText = str({
  label: 'a field path such as "metadata.labels[\'app\']"',
  docName: 'field path',
  check: (text) => {
    const parsed = parseFieldPath(text);
    return parsed.ok ? undefined : parsed.message;
  },
});

const podSelectorObject = object({
  name: 'PodSelection',
  doc:
    'Picks one pod among those the selector matches (sorted by namespace and name, then ' +
    "drawn from the fault's seeded stream).",
  fields: {
    selector: field(labelSelector, 'Label selector of the candidate pods.', { required: true }),
    namespace: field(dnsLabel(), 'Namespace of the candidate pods.', { default: 'default' }),
  },
});

/** `namespace/name`, `name` (namespace `default`), or `{selector, namespace?}`. */
export const podTarget = union({
  label: 'a pod name such as "default/web-0" or {selector: "app=web"}',
  variants: [
    str({
      label: 'a pod name',
      docName: 'pod name',
      check: (text) => {
        const parts = text.split('/');
        if (parts.length > 2) return `invalid pod ${quote(text)} (use "name" or "namespace/name")`;
        const problems = parts.length === 2 ? validateDns1123Label(parts[0] ?? '') : [];
        problems.push(...validateDns1123Subdomain(parts[parts.length - 1] ?? ''));
        return problems[0] === undefined ? undefined : `invalid pod ${quote(text)}: ${problems[0]}`;
      },
    }),
    podSelectorObject,
  ],
  build: (value: string | { selector: string; namespace: string }, variant): PodTarget => {
    if (variant === 1) return value as PodTarget;
    const parts = (value as string).split('/');
    return parts.length === 2
      ? { namespace: parts[0] ?? '', name: parts[1] ?? '' }
      : { namespace: 'default', name: parts[0] ?? '' };
  },
});
