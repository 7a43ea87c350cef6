// ContainerRuntime port, shaped like the kubelet's CRI: pod sandboxes, containers, images,
// exec and logs. The sim runtime scripts their behaviour; real mode uses Linux namespaces.
//
// Callers: the kubelet only. Every method may reject with a RuntimeError (an operating error the
// kubelet reports in pod status); anything else is a programmer error.

export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  /** Kubelet-facing reason, e.g. `ErrImagePull`, `NotFound`, `CreateContainerError`. */
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** Labels the kubelet attaches so it can rediscover its objects after a restart. */
export const runtimeLabels = {
  podUid: 'io.kubernetes.pod.uid',
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  containerName: 'io.kubernetes.container.name',
  attempt: 'io.kubernetes.container.attempt',
} as const;

export interface PodSandboxConfig {
  name: string;
  namespace: string;
  uid: string;
  /** Attempt number of this sandbox for the pod (0 first). */
  attempt: number;
  hostname: string;
  labels: Record<string, string>;
}

export type SandboxState = 'ready' | 'notready';

export interface PodSandbox {
  id: string;
  config: PodSandboxConfig;
  state: SandboxState;
  createdAtMs: number;
  /** Pod IP, '' when the sandbox has no network yet. */
  ip: string;
}

export interface ResourceLimits {
  /** Memory limit in bytes, 0 for none. */
  memoryBytes: number;
  /** CPU limit in millicores, 0 for none. */
  cpuMillis: number;
  /** Max processes, 0 for none. */
  pidsMax: number;
}

export interface ContainerConfig {
  name: string;
  image: string;
  command: string[];
  args: string[];
  env: Array<{ name: string; value: string }>;
  workingDir: string;
  /** Attempt number (restart count) of this container in the pod. */
  attempt: number;
  labels: Record<string, string>;
  limits: ResourceLimits;
}

export type ContainerState = 'created' | 'running' | 'exited' | 'unknown';

export interface ContainerStatus {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  state: ContainerState;
  createdAtMs: number;
  /** 0 until started. */
  startedAtMs: number;
  /** 0 until exited. */
  finishedAtMs: number;
  exitCode: number;
  /** E.g. `Completed`, `Error`, `OOMKilled`; '' while not exited. */
  reason: string;
  message: string;
  imageRef: string;
}

/** Whether `labels` carries every label of `wanted` (none wanted: true), as CRI filters do. */
export function hasLabels(
  labels: Readonly<Record<string, string>>,
  wanted: Readonly<Record<string, string>> | undefined,
): boolean {
  for (const key in wanted) if (labels[key] !== wanted[key]) return false;
  return true;
}

export interface PodSandboxFilter {
  /** Only sandboxes carrying every one of these labels. */
  labels?: Record<string, string>;
}

export interface ContainerFilter {
  sandboxId?: string;
  state?: ContainerState;
  /** Every label given must match. */
  labels?: Record<string, string>;
}

export interface ImageInfo {
  /** Image reference as pulled, e.g. `nginx:1.27`. */
  ref: string;
  /** Content identity, stable for a given image in a runtime. */
  id: string;
  sizeBytes: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface LogOptions {
  /** Only the last N lines; 0 for all. */
  tailLines: number;
  /** Prefix each line with its RFC 3339 timestamp, as `kubectl logs --timestamps`. */
  timestamps: boolean;
}

/** Where a TCP or HTTP probe connects, as seen from inside a sandbox's network namespace. */
export interface ProbeAddress {
  /** IP or name; the pod IP (or 127.0.0.1) reaches the sandbox itself. */
  host: string;
  port: number;
}

/** A TCP probe's outcome: `error` is Go's dial error text (see probeTcp). */
export type TcpProbeResult = { ok: true } | { ok: false; error: string };

export interface HttpProbeRequest {
  scheme: 'HTTP' | 'HTTPS';
  host: string;
  port: number;
  /** Path and query as sent in the request line, e.g. `/healthz?verbose=1`. */
  path: string;
  /** Request headers in order (canonical names, may repeat); a `Host` header sets the Host. */
  headers: ReadonlyArray<{ name: string; value: string }>;
}

/** An HTTP probe's outcome: a response, or Go's client error text (see probeHttp). */
export type HttpProbeResponse = { statusCode: number; body: string } | { error: string };

export interface ContainerRuntime {
  /** Creates and starts a sandbox (network namespace); resolves with its id. */
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  /** Stops every container in it and tears down its network; idempotent. */
  stopPodSandbox(sandboxId: string): Promise<void>;
  /** Removes a stopped sandbox and its containers; idempotent. */
  removePodSandbox(sandboxId: string): Promise<void>;
  /** All sandboxes, or those the filter keeps (the kubelet lists a pod's by its UID label). */
  listPodSandboxes(filter?: PodSandboxFilter): Promise<PodSandbox[]>;

  /** Pulls the image if it is not present; resolves with its image id. */
  pullImage(image: string): Promise<string>;
  listImages(): Promise<ImageInfo[]>;

  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** Sends SIGTERM, then SIGKILL after `timeoutMs`; resolves once exited. Idempotent. */
  stopContainer(containerId: string, timeoutMs: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]>;
  containerStatus(containerId: string): Promise<ContainerStatus>;

  /**
   * Runs a command in a running container and collects its output. A command still running
   * after `timeoutMs` (> 0; 0 means no limit) is killed and the call rejects with RuntimeError
   * reason `DeadlineExceeded` (the kubelet's exec probes report it as `command "…" timed out`).
   */
  exec(containerId: string, command: string[], timeoutMs: number): Promise<ExecResult>;
  /**
   * Opens and closes one TCP connection to `address` from inside the sandbox's network namespace
   * (real mode: pod IPs need not be routable from the host). Failing to connect is a value whose
   * `error` reads like Go's dialer: `dial tcp 10.244.0.5:8080: connect: connection refused`, or
   * `dial tcp 10.244.0.5:8080: i/o timeout` once `timeoutMs` (> 0) passed. Rejects with
   * RuntimeError `NotFound` for an unknown sandbox and `SandboxNotReady` for a stopped one.
   * Callers: the kubelet's tcpSocket probes.
   */
  probeTcp(sandboxId: string, address: ProbeAddress, timeoutMs: number): Promise<TcpProbeResult>;
  /**
   * Sends one HTTP GET from inside the sandbox's network namespace, as the kubelet's prober
   * client does: redirects to the same host are followed (at most 10), a redirect to another
   * host is returned as it is, TLS certificates are not verified, the body is cut at 10 KiB.
   * No response within `timeoutMs` or no connection is a value: `error` is the cause as Go's
   * client reports it, without the `Get "<url>": ` prefix the prober adds, e.g.
   * `dial tcp 10.244.0.5:8080: connect: connection refused` or
   * `context deadline exceeded (Client.Timeout exceeded while awaiting headers)`.
   * Rejects like probeTcp for unknown or stopped sandboxes. Callers: httpGet probes.
   */
  probeHttp(
    sandboxId: string,
    request: HttpProbeRequest,
    timeoutMs: number,
  ): Promise<HttpProbeResponse>;
  /** Returns the container's log lines (stdout and stderr interleaved). */
  logs(containerId: string, options: LogOptions): Promise<string[]>;
}
