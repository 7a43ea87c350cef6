// Helpers shared by printer columns: ages as upstream's HumanDuration, Name and Age columns.

import type { JsonValue } from '../../store/types.js';
import { valueAtPath } from '../schema/json.js';
import { parseTime } from '../values/time.js';
import type { PrinterColumn } from './resource.js';

const secondMs = 1000;
const minuteS = 60;
const hourS = 60 * minuteS;
const dayS = 24 * hourS;
const yearS = 365 * dayS;

function withRest(whole: number, unit: string, rest: number, restUnit: string): string {
  return rest === 0 ? `${whole}${unit}` : `${whole}${unit}${rest}${restUnit}`;
}

/** apimachinery duration.HumanDuration. */
export function humanDuration(durationMs: number): string {
  const seconds = Math.trunc(durationMs / secondMs);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 2 * minuteS) return `${seconds}s`;
  const minutes = Math.trunc(seconds / minuteS);
  if (minutes < 10) return withRest(minutes, 'm', seconds % minuteS, 's');
  if (minutes < 3 * 60) return `${minutes}m`;
  const hours = Math.trunc(seconds / hourS);
  if (hours < 8) return withRest(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  if (hours < 8 * 24) return withRest(Math.trunc(hours / 24), 'd', hours % 24, 'h');
  if (hours < 2 * 365 * 24) return `${Math.trunc(hours / 24)}d`;
  const years = Math.trunc(seconds / yearS);
  if (hours < 8 * 365 * 24) return withRest(years, 'y', Math.trunc((seconds % yearS) / dayS), 'd');
  return `${years}y`;
}

/** printers.translateTimestampSince: `<unknown>` for a missing time. */
export function ageSince(timestamp: JsonValue | undefined, nowMs: number): string {
  const ms = typeof timestamp === 'string' ? parseTime(timestamp) : undefined;
  return ms === undefined ? '<unknown>' : humanDuration(nowMs - ms);
}

/** `<none>` for empty values, as upstream's printers show them. */
export function orNone(value: JsonValue | undefined): string {
  return typeof value === 'string' && value !== '' ? value : '<none>';
}

export function nameColumn(description = 'Name must be unique within a namespace.'): PrinterColumn {
  return {
    name: 'Name',
    type: 'string',
    format: 'name',
    description,
    priority: 0,
    jsonPath: '.metadata.name',
    value: (object) => valueAtPath(object, ['metadata', 'name']) ?? '',
  };
}

export function ageColumn(): PrinterColumn {
  return {
    name: 'Age',
    type: 'string',
    format: '',
    description: 'Time since the object was created.',
    priority: 0,
    jsonPath: '.metadata.creationTimestamp',
    value: (object, ctx) =>
      ageSince(valueAtPath(object, ['metadata', 'creationTimestamp']), ctx.nowMs),
  };
}

/** A column that shows one plain field. */
export function fieldColumn(
  name: string,
  path: readonly string[],
  description: string,
  options: { priority?: number; type?: PrinterColumn['type']; none?: boolean } = {},
): PrinterColumn {
  const type = options.type ?? 'string';
  return {
    name,
    type,
    format: '',
    description,
    priority: options.priority ?? 0,
    jsonPath: `.${path.join('.')}`,
    value: (object) => {
      const value = valueAtPath(object, path);
      if (options.none === true) return orNone(value);
      return value ?? (type === 'integer' ? 0 : '');
    },
  };
}

/** A column whose cells a function computes (status summaries, joined lists, ...). */
export function computedColumn(
  name: string,
  description: string,
  priority: number,
  value: PrinterColumn['value'],
  type: PrinterColumn['type'] = 'string',
): PrinterColumn {
  return { name, type, format: '', description, priority, value };
}
