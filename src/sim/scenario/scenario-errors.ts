// Scenario errors: one line each, `<file>:<line>: <field path>: <message>`, and the field paths
// they name (`spec.faults[1].crashNode.node`, `spec.runtime.images["nginx:1.27"].pull`).

/** An object field (`.name`), a list index (`[3]`) or a map entry (`["key"]`). */
export type PathSegment = string | number | { readonly entry: string };
export type ObjectPath = readonly PathSegment[];

export interface ScenarioError {
  /** The scenario file's name as given, or the name of a manifest file it loads. */
  file: string;
  /** 1-based line in `file`. */
  line: number;
  /** Field path, e.g. `spec.faults[1].crashNode.node`; empty for errors about the whole text. */
  path: string;
  /** What is wrong, in one line. */
  message: string;
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Renders a path: `spec.nodePools[0].labels["topology.kubernetes.io/zone"]`. */
export function renderPath(path: ObjectPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'object') text += `[${JSON.stringify(segment.entry)}]`;
    else if (!identifier.test(segment)) text += `[${JSON.stringify(segment)}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

/** The one-line form: `node-crash.yaml:12: spec.faults[1].crashNode.node: unknown node "x"`. */
export function formatScenarioError(error: ScenarioError): string {
  const path = error.path === '' ? '' : ` ${error.path}:`;
  return `${error.file}:${error.line}:${path} ${error.message}`;
}

/** An error plus where it sorts: its scenario line first, then its own line. */
export interface SortableError {
  error: ScenarioError;
  /** The scenario-file line it belongs to (for errors in loaded files: the `file:` field). */
  anchorLine: number;
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Sorted by scenario line, then line, path and message; duplicates removed. */
export function sortErrors(errors: readonly SortableError[]): ScenarioError[] {
  const sorted = [...errors].sort(
    (a, b) =>
      a.anchorLine - b.anchorLine ||
      compareText(a.error.file, b.error.file) ||
      a.error.line - b.error.line ||
      compareText(a.error.path, b.error.path) ||
      compareText(a.error.message, b.error.message),
  );
  const unique: ScenarioError[] = [];
  for (const { error } of sorted) {
    const last = unique[unique.length - 1];
    if (last !== undefined && formatScenarioError(last) === formatScenarioError(error)) continue;
    unique.push(error);
  }
  return unique;
}

/** Quotes a value for a message: strings in double quotes, others as JSON. */
export function quote(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value) ?? String(value);
}
