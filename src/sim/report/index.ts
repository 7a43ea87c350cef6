// The report renderer's public surface: the ReportData model and the three pure renderers.

export type {
  ExpectationKind,
  ExpectationResult,
  FaultRecovery,
  NodePodSeries,
  NodeReadiness,
  PhaseSample,
  Placement,
  PodPhase,
  ReadinessInterval,
  ReadinessStatus,
  ReportData,
  ReportScenario,
  ReportSeries,
  StepSample,
} from './report-data.js';
export { podPhases, readinessStatuses } from './report-data.js';
export type { BoundOptions } from './bound-report.js';
export { boundReportData, checkReportData } from './bound-report.js';
export { reportPointCountMax } from './downsample.js';
export { renderReportJson, reportFormatVersion } from './render-json.js';
export { renderReportMarkdown } from './render-markdown.js';
export { renderReportHtml } from './render-html.js';
