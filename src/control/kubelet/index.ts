// The kubelet package: the Kubelet component and its options.
export { Kubelet } from './kubelet.js';
export type { KubeletOptions } from './kubelet-config.js';
export { kubeletPort } from './kubelet-config.js';
export { nodeLeaseNamespace } from './node-lease.js';
