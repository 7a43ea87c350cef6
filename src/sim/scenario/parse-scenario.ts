// parseScenario: scenario text → the typed Scenario, or every error as one line with file, line
// and field path. No I/O: manifest files come through the caller's `loadFile`.
import { deepFreeze } from '../../control/api/values/canonical-json.js';
import { assert } from '../../control/util/assert.js';
import { lineOfPath } from './decode-state.js';
import { decodeDocument } from './decode-value.js';
import { checkScenario } from './scenario-checks.js';
import { renderPath, sortErrors } from './scenario-errors.js';
import type { ObjectPath, ScenarioError, SortableError } from './scenario-errors.js';
import { scenarioType } from './scenario-format.js';
import type { Scenario } from './scenario-model.js';
import { invalid } from './schema-dsl.js';
import { readYamlText } from './yaml-text.js';

export interface ParseScenarioOptions {
  /** Shown in every error (`node-crash.yaml:12: …`); files the scenario names are next to it. */
  fileName: string;
  /**
   * Returns the text of a manifest file named by a workload's `file:`, or undefined when there is
   * no such file; a thrown Error's message is reported. It receives the path joined to
   * fileName's directory and normalised (`scenarios/x.yaml` + `m/web.yaml` →
   * `scenarios/m/web.yaml`). Absent: every `file:` workload is an error.
   */
  loadFile?: (path: string) => string | undefined;
}

export type ParseScenarioResult =
  { ok: true; scenario: Scenario } | { ok: false; errors: ScenarioError[] };

/** Parses and checks a scenario file; the returned Scenario is deep-frozen. */
export function parseScenario(text: string, options: ParseScenarioOptions): ParseScenarioResult {
  const errors: SortableError[] = [];
  const file = options.fileName;
  const add = (line: number, path: ObjectPath, message: string): void => {
    errors.push({ error: { file, line, path: renderPath(path), message }, anchorLine: line });
  };
  const yaml = readYamlText(text);
  for (const problem of yaml.problems) add(problem.line, [], problem.message);
  const [document, second] = yaml.documents;
  if (errors.length === 0 && document === undefined) {
    add(1, [], 'empty file: expected a Scenario document');
  }
  if (errors.length === 0 && second !== undefined) {
    const start = second.range[0];
    add(yaml.lineOf(start), [], 'a scenario file holds one YAML document (found a second one)');
  }
  if (errors.length > 0 || document === undefined) return { ok: false, errors: sortErrors(errors) };
  const decoded = decodeDocument(
    {
      document,
      lineOf: yaml.lineOf,
      fileName: file,
      loadFile: options.loadFile,
      report: (path, line, message) => add(line, path, message),
      reportInFile: (error, anchorLine) => errors.push({ error, anchorLine }),
    },
    scenarioType,
    [],
  );
  if (decoded.value !== invalid) {
    const { state } = decoded;
    checkScenario(decoded.value as Scenario, {
      report: (path, message) => add(lineOfPath(state, path), path, message),
      pathOf: (value) => {
        const path = state.paths.get(value);
        assert(path !== undefined, 'every model object has a recorded path');
        return path;
      },
    });
  }
  if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };
  assert(decoded.value !== invalid, 'a scenario without errors decodes');
  return { ok: true, scenario: deepFreeze(decoded.value as Scenario) };
}
