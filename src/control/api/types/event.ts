// core/v1 Event: what happened to which object, with counting for repeats.

import type { JsonObject, JsonValue } from '../../store/types.js';
import type { FieldError } from '../schema/field-errors.js';
import { invalidError, requiredError } from '../schema/field-errors.js';
import { objectAt, stringAt, valueAtPath } from '../schema/json.js';
import type { ObjectSchema, ValidationContext } from '../schema/schema.js';
import { int32, microTime, obj, ref, str, strKnown, time } from '../schema/schema.js';
import { parseMicroTime } from '../values/time.js';
import { metadataField, typeMetaFields } from './meta.js';
import { objectReferenceSchema } from './object-reference.js';
import { ageSince, humanDuration } from './printing.js';
import type { PrinterColumn, ResourceDeclaration } from './resource.js';

export const eventSchema: ObjectSchema = obj(
  'Event',
  'A report of something that happened to an object.',
  {
    ...typeMetaFields(),
    metadata: metadataField(),
    involvedObject: ref(objectReferenceSchema, 'The object the event is about.'),
    reason: str('Short machine-readable reason, e.g. Scheduled.'),
    message: str('Human-readable description.'),
    source: obj('EventSource', 'The component reporting the event.', {
      component: str('Reporting component, e.g. kubelet.'),
      host: str('Node of the reporting component.'),
    }),
    firstTimestamp: time('When the event was first recorded.'),
    lastTimestamp: time('When the event was last recorded.'),
    count: int32('How many times the event happened.'),
    type: strKnown(['Normal', 'Warning'], 'Normal or Warning.'),
    eventTime: microTime('When the event was first observed (new-style events).'),
    series: obj('EventSeries', 'A series of repeated events.', {
      count: int32('Occurrences in the series.'),
      lastObservedTime: microTime('Time of the last occurrence.'),
    }),
    action: str('What was done or failed.'),
    related: ref(objectReferenceSchema, 'A secondary object.'),
    reportingComponent: str('Controller that emitted the event.', {
      goName: 'ReportingController',
    }),
    reportingInstance: str('Instance of that controller.'),
  },
  {
    hooks: { validate: validateEvent },
    root: { group: '', version: 'v1', kind: 'Event', scope: 'Namespaced', nameFormat: 'none' },
  },
);

/** legacyValidateEvent (core/v1 events skip the rest of metadata validation upstream). */
function validateEvent(event: JsonObject, ctx: ValidationContext): FieldError[] {
  if (ctx.path !== '') return [];
  const errors: FieldError[] = [];
  const namespace = stringAt(objectAt(event, 'metadata'), 'namespace') ?? '';
  const involved = stringAt(objectAt(event, 'involvedObject'), 'namespace') ?? '';
  const newStyle = typeof event.eventTime === 'string' && event.eventTime !== '';
  const path = 'involvedObject.namespace';
  if (!newStyle) {
    const matches =
      involved === '' ? namespace === '' || namespace === 'default' : namespace === involved;
    if (!matches) errors.push(invalidError(path, involved, 'does not match event.namespace'));
    return errors;
  }
  if (involved === '' && namespace !== 'default' && namespace !== 'kube-system') {
    errors.push(invalidError(path, involved, 'does not match event.namespace'));
  }
  for (const key of ['reportingComponent', 'reportingInstance', 'action', 'reason']) {
    if ((stringAt(event, key) ?? '') === '') errors.push(requiredError(key));
  }
  return errors;
}

function microAge(value: JsonValue | undefined, nowMs: number): string {
  const ms = typeof value === 'string' ? parseMicroTime(value) : undefined;
  return ms === undefined ? '<unknown>' : humanDuration(nowMs - ms);
}

function firstSeen(event: JsonObject, nowMs: number): string {
  const first = event.firstTimestamp;
  if (typeof first === 'string' && first !== '') return ageSince(first, nowMs);
  return microAge(event.eventTime, nowMs);
}

function lastSeen(event: JsonObject, nowMs: number): string {
  const series = objectAt(event, 'series');
  if (series !== undefined) return microAge(series.lastObservedTime, nowMs);
  const last = event.lastTimestamp;
  return typeof last === 'string' && last !== '' ? ageSince(last, nowMs) : firstSeen(event, nowMs);
}

function target(event: JsonObject): string {
  const involved = objectAt(event, 'involvedObject');
  const kind = (stringAt(involved, 'kind') ?? '').toLowerCase();
  const name = stringAt(involved, 'name') ?? '';
  return name === '' ? kind : `${kind}/${name}`;
}

function sourceText(event: JsonObject): string {
  const source = objectAt(event, 'source');
  const component =
    (stringAt(source, 'component') ?? '') || (stringAt(event, 'reportingComponent') ?? '');
  const host = (stringAt(source, 'host') ?? '') || (stringAt(event, 'reportingInstance') ?? '');
  return host === '' ? component : `${component}, ${host}`;
}

function count(event: JsonObject): number {
  const series = objectAt(event, 'series');
  if (series !== undefined && typeof series.count === 'number') return series.count;
  return typeof event.count === 'number' && event.count !== 0 ? event.count : 1;
}

const column = (
  name: string,
  priority: number,
  value: PrinterColumn['value'],
  format = '',
): PrinterColumn => ({
  name,
  type: 'string',
  format,
  description: `${name} of the event.`,
  priority,
  value,
});

export const eventPrinterColumns: readonly PrinterColumn[] = [
  column('Last Seen', 0, (e, ctx) => lastSeen(e, ctx.nowMs)),
  column('Type', 0, (e) => stringAt(e, 'type') ?? ''),
  column('Reason', 0, (e) => stringAt(e, 'reason') ?? ''),
  column('Object', 0, target),
  column('Subobject', 1, (e) => stringAt(objectAt(e, 'involvedObject'), 'fieldPath') ?? ''),
  column('Source', 1, sourceText),
  column('Message', 0, (e) => (stringAt(e, 'message') ?? '').trim()),
  column('First Seen', 1, (e, ctx) => firstSeen(e, ctx.nowMs)),
  column('Count', 1, count),
  column('Name', 1, (e) => valueAtPath(e, ['metadata', 'name']) ?? '', 'name'),
];

const involved = (key: string) => (event: JsonObject) =>
  stringAt(objectAt(event, 'involvedObject'), key) ?? '';

export const eventResource: ResourceDeclaration = {
  schema: eventSchema,
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  categories: [],
  subresources: [],
  statusFields: [],
  fieldLabels: {
    'involvedObject.kind': involved('kind'),
    'involvedObject.namespace': involved('namespace'),
    'involvedObject.name': involved('name'),
    'involvedObject.uid': involved('uid'),
    'involvedObject.apiVersion': involved('apiVersion'),
    'involvedObject.resourceVersion': involved('resourceVersion'),
    'involvedObject.fieldPath': involved('fieldPath'),
    reason: (event) => stringAt(event, 'reason') ?? '',
    reportingComponent: (event) => stringAt(event, 'reportingComponent') ?? '',
    source: (event) =>
      (stringAt(objectAt(event, 'source'), 'component') ?? '') ||
      (stringAt(event, 'reportingComponent') ?? ''),
    type: (event) => stringAt(event, 'type') ?? '',
  },
  printerColumns: eventPrinterColumns,
  tracksGeneration: false,
};
