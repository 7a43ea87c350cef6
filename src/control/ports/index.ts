// The ports through which the control plane reaches its world (see DESIGN.md).
export type { Clock, PassiveClock, TimerHandle } from './clock.js';
export type { Rng } from './rng.js';
export type {
  Headers,
  TransportRequest,
  TransportResponse,
  StreamSink,
  StreamHandle,
  Transport,
  ServerStreamWriter,
  HandlerResult,
  RequestHandler,
} from './transport.js';
export type {
  ContainerRuntime,
  ContainerConfig,
  ContainerStatus,
  ContainerState,
  ContainerFilter,
  PodSandbox,
  PodSandboxConfig,
  ImageInfo,
  ExecResult,
  LogOptions,
  ResourceLimits,
  ProbeAddress,
  TcpProbeResult,
  HttpProbeRequest,
  HttpProbeResponse,
} from './container-runtime.js';
export { RuntimeError, runtimeLabels } from './container-runtime.js';
export type { StoreBackend, BackendEntry, BackendSnapshot, BackendWrite } from './store-backend.js';
export type { Recorder, TraceRecord, MetricRecord, TraceValue, TraceLevel } from './recorder.js';
export { traceFormatVersion } from './recorder.js';
