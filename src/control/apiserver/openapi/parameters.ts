// OpenAPI parameters of miniku's REST operations: path parameters and the query parameters the
// handlers read, in upstream's form (`in: query`, a `schema` with `uniqueItems`).

import { compareGoStrings } from '../../api/values/go-format.js';
import type { JsonObject } from '../../store/types.js';

type ParameterType = 'string' | 'integer' | 'boolean';

function queryParameter(name: string, type: ParameterType, description: string): JsonObject {
  return { description, in: 'query', name, schema: { type, uniqueItems: true } };
}

export function pathParameter(name: string, description: string): JsonObject {
  return {
    description,
    in: 'path',
    name,
    required: true,
    schema: { type: 'string', uniqueItems: true },
  };
}

export const namespaceParameter = pathParameter(
  'namespace',
  'Namespace of the objects: an object name and an authorization scope.',
);

export function nameParameter(kind: string): JsonObject {
  return pathParameter('name', `Name of the ${kind}.`);
}

const dryRun = queryParameter(
  'dryRun',
  'string',
  'When present, the request is not persisted. The only value is All (every dry-run stage).',
);
const fieldManager = queryParameter(
  'fieldManager',
  'string',
  'Name of the actor making the change (at most 128 printable characters); required for ' +
    'apply patches.',
);
const fieldValidation = queryParameter(
  'fieldValidation',
  'string',
  'How unknown or duplicate fields in the body are handled. Ignore drops them silently; Warn ' +
    '(the default) drops them and reports each in a Warning header; Strict rejects the request ' +
    'with a BadRequest error that lists every unknown and duplicate field.',
);
const force = queryParameter(
  'force',
  'boolean',
  'Apply patches only: take ownership of fields that other managers own.',
);

/** Parameters of create (POST) and replace (PUT). */
export const writeParameters: readonly JsonObject[] = [dryRun, fieldManager, fieldValidation];
/** Parameters of patch. */
export const patchParameters: readonly JsonObject[] = [...writeParameters, force];

const selectionParameters: readonly JsonObject[] = [
  queryParameter(
    'continue',
    'string',
    'Token from a previous chunked list, to read its next chunk.',
  ),
  queryParameter('fieldSelector', 'string', 'Selects objects by fields; everything by default.'),
  queryParameter('labelSelector', 'string', 'Selects objects by labels; everything by default.'),
  queryParameter(
    'limit',
    'integer',
    'Largest number of objects to return; when more exist, metadata.continue is set.',
  ),
  queryParameter(
    'resourceVersion',
    'string',
    'Constrains which resource versions the request may be served from.',
  ),
  queryParameter(
    'resourceVersionMatch',
    'string',
    'How resourceVersion is applied to a list: Exact or NotOlderThan.',
  ),
  queryParameter('timeoutSeconds', 'integer', 'Time limit of the list or watch call.'),
];

/** Parameters of list (and of watch, which is a list with `watch=true`). */
export const listParameters: readonly JsonObject[] = [
  queryParameter(
    'allowWatchBookmarks',
    'boolean',
    'Watch only: the server may send BOOKMARK events carrying a resource version.',
  ),
  ...selectionParameters,
  queryParameter(
    'watch',
    'boolean',
    'Stream ADDED, MODIFIED and DELETED events of the selected objects instead of listing them.',
  ),
];

const deleteOnlyParameters: readonly JsonObject[] = [
  queryParameter(
    'gracePeriodSeconds',
    'integer',
    'Seconds before the object is deleted; 0 deletes at once; absent uses the default of the type.',
  ),
  queryParameter(
    'orphanDependents',
    'boolean',
    'Deprecated; use propagationPolicy. Whether dependents are orphaned.',
  ),
  queryParameter(
    'propagationPolicy',
    'string',
    'Garbage collection of dependents: Orphan, Background or Foreground.',
  ),
];

/** Parameters of delete. */
export const deleteParameters: readonly JsonObject[] = [dryRun, ...deleteOnlyParameters];
/** Parameters of deletecollection. */
export const deleteCollectionParameters: readonly JsonObject[] = [
  dryRun,
  ...deleteOnlyParameters,
  ...selectionParameters,
].sort((a, b) => compareGoStrings(String(a.name), String(b.name)));

/** Parameters of pods/log. */
export const logParameters: readonly JsonObject[] = [
  queryParameter('container', 'string', 'Container to read; may be omitted for one container.'),
  queryParameter('follow', 'boolean', 'Stream the log as it is written.'),
  queryParameter('limitBytes', 'integer', 'Largest number of bytes to return.'),
  queryParameter('previous', 'boolean', 'Read the log of the previous, terminated container.'),
  queryParameter('sinceSeconds', 'integer', 'Only lines newer than this many seconds.'),
  queryParameter('tailLines', 'integer', 'Only this many lines from the end.'),
  queryParameter('timestamps', 'boolean', 'Prefix every line with an RFC 3339 timestamp.'),
];

/** Parameters of pods/exec. */
export const execParameters: readonly JsonObject[] = [
  queryParameter('command', 'string', 'Command to run; repeat for each argument.'),
  queryParameter('container', 'string', 'Container to run in; may be omitted for one container.'),
  queryParameter('stderr', 'boolean', 'Redirect the standard error stream.'),
  queryParameter('stdin', 'boolean', 'Redirect the standard input stream.'),
  queryParameter('stdout', 'boolean', 'Redirect the standard output stream.'),
  queryParameter('tty', 'boolean', 'Allocate a terminal.'),
];
