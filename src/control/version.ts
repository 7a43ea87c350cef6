// miniku's own version and the upstream Kubernetes version it follows.

/** miniku release; reports and /version carry it. Keep in step with package.json. */
export const minikuVersion = '0.1.0';

/** Upstream Kubernetes minor that miniku's behaviour follows (DESIGN.md). */
export const kubernetesVersion = { major: '1', minor: '32', patch: '0' } as const;

/** Strict-semver gitVersion that kubectl 1.32 accepts, with a miniku suffix. */
export const gitVersion = `v${kubernetesVersion.major}.${kubernetesVersion.minor}.${kubernetesVersion.patch}-miniku.${minikuVersion}`;
