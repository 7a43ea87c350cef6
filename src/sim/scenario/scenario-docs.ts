// The field reference of scenarios/README.md (one section and table per object type, with its
// example), generated from the format's declarations so the docs cannot drift from the parser.
import { scenarioType } from './scenario-format.js';
import type { Field, ObjectType, Type } from './schema-dsl.js';

/** Marks the generated part of scenarios/README.md. */
export const generatedDocsBegin = '<!-- BEGIN GENERATED FIELD REFERENCE (do not edit) -->';
export const generatedDocsEnd = '<!-- END GENERATED FIELD REFERENCE -->';

function anchor(name: string): string {
  return name.toLowerCase();
}

function rangeText(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return ` ${min}–${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  return max === undefined ? '' : ` ≤ ${max}`;
}

function typeText(type: Type): string {
  if (type.docName !== undefined) return type.docName;
  switch (type.kind) {
    case 'string':
      return 'string';
    case 'int':
      return `integer${rangeText(type.min, type.max)}`;
    case 'number':
      return type.above !== undefined
        ? `number > ${type.above}${type.max === undefined ? '' : `, ≤ ${type.max}`}`
        : `number${rangeText(type.min, type.max)}`;
    case 'bool':
      return type.onlyTrue === true ? '`true`' : 'boolean';
    case 'duration':
      return type.signed === true
        ? 'duration (may be negative)'
        : type.positive === true
          ? 'duration > 0'
          : 'duration';
    case 'time':
      return 'RFC 3339 time';
    case 'enum':
      return type.values.map((value) => `\`${value}\``).join(' \\| ');
    case 'list':
      return `list of ${typeText(type.items)}`;
    case 'map':
      return `map of ${type.keyLabel} to ${typeText(type.values)}`;
    case 'object':
      return `[${type.name}](#${anchor(type.name)})`;
    case 'union':
      return [...new Set(type.variants.map(typeText))].join(' or ');
    case 'json':
      return type.shape === 'object' ? 'object' : 'any value';
  }
}

function defaultText(field: Field): string {
  if (field.required === true) return 'required';
  if (field.default !== undefined) {
    const value = field.default;
    const text = typeof value === 'string' && value !== '' ? value : JSON.stringify(value);
    return `\`${text}\``;
  }
  return field.defaultDoc ?? '';
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function row(name: string, type: string, presence: string, doc: string): string {
  return `| \`${name}\` | ${type} | ${cell(presence)} | ${cell(doc)} |`;
}

function table(type: ObjectType): string[] {
  const rows = ['| Field | Type | Default | Meaning |', '| --- | --- | --- | --- |'];
  for (const [name, field] of Object.entries(type.fields)) {
    rows.push(row(name, typeText(field.type), defaultText(field), field.doc));
  }
  for (const group of type.groups ?? []) {
    const presence = group.required ? `one ${group.label} required` : `at most one ${group.label}`;
    for (const [name, option] of Object.entries(group.options)) {
      rows.push(row(name, typeText(option.type), presence, option.doc));
      for (const [companion, field] of Object.entries(option.with ?? {})) {
        const only = [`only with \`${name}\``, defaultText(field)]
          .filter((t) => t !== '')
          .join('; ');
        rows.push(row(companion, typeText(field.type), only, field.doc));
      }
    }
  }
  return rows;
}

function childObjects(type: ObjectType): ObjectType[] {
  const found: ObjectType[] = [];
  const visit = (t: Type): void => {
    if (t.kind === 'object') found.push(t);
    else if (t.kind === 'list') visit(t.items);
    else if (t.kind === 'map') visit(t.values);
    else if (t.kind === 'union') t.variants.forEach(visit);
  };
  for (const field of Object.values(type.fields)) visit(field.type);
  for (const group of type.groups ?? []) {
    for (const option of Object.values(group.options)) {
      visit(option.type);
      for (const field of Object.values(option.with ?? {})) visit(field.type);
    }
  }
  return found;
}

/** Object types reachable from the root, each once, in depth-first field order. */
export function documentedObjects(root: ObjectType = scenarioType): ObjectType[] {
  const order: ObjectType[] = [];
  const visit = (type: ObjectType): void => {
    if (order.includes(type)) return;
    order.push(type);
    childObjects(type).forEach(visit);
  };
  visit(root);
  return order;
}

function section(type: ObjectType): string[] {
  const lines = [`### ${type.name}`, '', type.doc, ''];
  if (type.example !== undefined) lines.push('```yaml', type.example, '```', '');
  lines.push(...table(type), '');
  return lines;
}

/** The generated reference, markers included, as Markdown. */
export function scenarioReferenceMarkdown(): string {
  const lines = [generatedDocsBegin, ''];
  for (const type of documentedObjects()) lines.push(...section(type));
  lines.push(generatedDocsEnd);
  return lines.join('\n');
}
