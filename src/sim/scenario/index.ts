// Public surface of the scenario format: parsing, errors, the typed model, and the generated
// JSON Schema and README tables.
export { parseScenario } from './parse-scenario.js';
export type { ParseScenarioOptions, ParseScenarioResult } from './parse-scenario.js';
export { formatScenarioError } from './scenario-errors.js';
export type { ScenarioError } from './scenario-errors.js';
export * from './scenario-model.js';
export { scenarioType, scenarioDurationMsMax } from './scenario-format.js';
export { parseDurationText } from './duration-text.js';
export type { DurationParse } from './duration-text.js';
export { poolNodeLabels, poolNodeName, zoneLabel } from './format-nodes.js';
export { scenarioJsonSchema } from './scenario-json-schema.js';
export {
  generatedDocsBegin,
  generatedDocsEnd,
  scenarioReferenceMarkdown,
} from './scenario-docs.js';
