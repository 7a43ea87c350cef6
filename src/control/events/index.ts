// The events package: the recorder components use to write core/v1 Events, and its parts.
export { EventRecorder, defaultEventRecorderLimits } from './event-recorder.js';
export type {
  EventRecorderLimits,
  EventRecorderOptions,
  EventRecorderStats,
} from './event-recorder.js';
export {
  EventCorrelator,
  aggregateMessagePrefix,
  defaultCorrelatorLimits,
} from './event-correlator.js';
export type { CorrelateResult, CorrelatorLimits } from './event-correlator.js';
export { ClientEventSink, writeEvent } from './event-sink.js';
export type { EventSink } from './event-sink.js';
export { EventNamer } from './event-namer.js';
export { compactReference, objectReference } from './event-types.js';
export type {
  CoreEvent,
  EventObjectReference,
  EventPatch,
  EventSource,
  EventType,
} from './event-types.js';
