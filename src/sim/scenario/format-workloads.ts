// Declarations of spec.workloads: manifests applied at an instant (inline or from files), and
// Poisson arrival processes creating pods from a template.
import { validateDns1123Subdomain } from '../../control/api/values/names.js';
import type { JsonObject } from '../../control/store/types.js';
import { quote } from './scenario-errors.js';
import type { ObjectPath } from './scenario-errors.js';
import type { Workload } from './scenario-model.js';
import { checkManifest, expandManifest, loadManifestFile } from './scenario-manifests.js';
import type { ManifestReport } from './scenario-manifests.js';
import { duration, field, int, invalid, json, list, num, object, str } from './schema-dsl.js';
import type { BuildContext } from './schema-dsl.js';

/** Most pods one arrival process may create. */
export const arrivalCountMax = 100_000;

const relativeFile = str({
  label: 'a relative file path',
  minLength: 1,
  check: (path) =>
    path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\')
      ? 'must be a relative path with "/" separators (relative to the scenario file)'
      : undefined,
});

const namePrefix = str({
  label: 'a name prefix such as "burst-"',
  check: (prefix) => {
    const problem = validateDns1123Subdomain(`${prefix}0`)[0];
    return problem === undefined ? undefined : `invalid name prefix ${quote(prefix)}: ${problem}`;
  },
});

const poisson = object({
  name: 'PoissonArrivals',
  doc:
    'Pods arrive as a Poisson process: exponential gaps with this mean rate, the first one ' +
    'gap after `at`, times rounded down to whole ms, none at or after `until`. Each process ' +
    'draws from its own seeded stream.',
  fields: {
    ratePerSecond: field(num({ above: 0 }), 'Mean arrivals per second.', { required: true }),
  },
});

type Source =
  | { kind: 'manifest'; manifest: JsonObject }
  | { kind: 'manifests'; manifests: JsonObject[] }
  | { kind: 'file'; file: string }
  | {
      kind: 'poisson';
      ratePerSecond: number;
      untilMs?: number;
      template: JsonObject;
      namePrefix: string;
      countMax: number;
    };

function reporter(context: BuildContext): ManifestReport {
  return (path, message) => context.error(path, message);
}

function inlineObjects(
  values: readonly JsonObject[],
  pathOf: (index: number) => ObjectPath,
  context: BuildContext,
) {
  const objects: JsonObject[] = [];
  let ok = true;
  values.forEach((value, i) => {
    const expanded = expandManifest(value, pathOf(i), reporter(context));
    if (expanded === undefined) ok = false;
    else objects.push(...expanded);
  });
  return ok ? objects : invalid;
}

function checkTemplate(template: JsonObject, context: BuildContext): boolean {
  const at: ObjectPath = ['template'];
  if (template.apiVersion !== 'v1' || template.kind !== 'Pod') {
    context.error(at, 'must be a Pod manifest (apiVersion: v1, kind: Pod)');
    return false;
  }
  const metadata = (template.metadata ?? {}) as JsonObject;
  for (const name of ['name', 'generateName']) {
    if (metadata[name] !== undefined) {
      context.error([...at, 'metadata', name], 'leave out: pods are named <namePrefix><number>');
      return false;
    }
  }
  const withName = { ...template, metadata: { ...metadata, name: 'template' } };
  return checkManifest(withName, at, reporter(context));
}

function buildWorkload(value: { atMs: number; source: Source }, context: BuildContext): unknown {
  const { atMs, source } = value;
  switch (source.kind) {
    case 'manifest':
    case 'manifests': {
      const objects =
        source.kind === 'manifest'
          ? inlineObjects([source.manifest], () => ['manifest'], context)
          : inlineObjects(source.manifests, (i) => ['manifests', i], context);
      return objects === invalid ? invalid : ({ kind: 'apply', atMs, objects } satisfies Workload);
    }
    case 'file': {
      const objects = loadManifestFile(source.file, context);
      if (objects === invalid) return invalid;
      return { kind: 'apply', atMs, objects, file: source.file } satisfies Workload;
    }
    case 'poisson': {
      if (!checkTemplate(source.template, context)) return invalid;
      const { ratePerSecond, template, countMax } = source;
      // untilMs defaults to the scenario's end; parseScenario fills it in.
      const untilMs = source.untilMs ?? -1;
      return {
        kind: 'poisson',
        atMs,
        untilMs,
        ratePerSecond,
        template,
        namePrefix: source.namePrefix,
        countMax,
      };
    }
  }
}

export const workload = object({
  name: 'Workload',
  doc:
    'Objects applied at an instant (by client `client/kubectl`, like `kubectl apply`), or a ' +
    'stream of pods. Exactly one of `manifest`, `manifests`, `file`, `poisson`.',
  fields: {
    at: field(duration(), 'When, from the start of the run.', { required: true }),
  },
  groups: [
    {
      name: 'source',
      label: 'workload source',
      required: true,
      options: {
        manifest: {
          type: json('object'),
          doc: 'One Kubernetes object, inline (a `kind: List` is expanded).',
        },
        manifests: {
          type: list(json('object'), { minItems: 1 }),
          doc: 'Several objects, applied in order.',
        },
        file: {
          type: relativeFile,
          doc:
            'A YAML file of manifests (several documents allowed), relative to the scenario ' +
            'file. Parsed as kubectl does (YAML 1.1).',
        },
        poisson: {
          type: poisson,
          doc: 'Create pods from `template` as a Poisson process from `at` to `until`.',
          with: {
            until: field(duration(), 'When arrivals stop.', { defaultDoc: 'the end of the run' }),
            template: field(json('object'), 'A Pod manifest without a name.', { required: true }),
            namePrefix: field(namePrefix, 'Pods are named `<namePrefix><n>`, n from 0.', {
              required: true,
            }),
            countMax: field(int({ min: 1, max: arrivalCountMax }), 'Most pods created.', {
              default: 10_000,
            }),
          },
        },
      },
    },
  ],
  build: buildWorkload,
  example: [
    'workloads:',
    '  - at: 0s',
    '    file: manifests/web.yaml',
    '  - at: 1m',
    '    until: 5m',
    '    poisson: {ratePerSecond: 2}',
    '    namePrefix: job-',
    '    template:',
    '      apiVersion: v1',
    '      kind: Pod',
    '      spec:',
    '        containers: [{name: main, image: busybox:1.36}]',
  ].join('\n'),
});
