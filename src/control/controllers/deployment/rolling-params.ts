// Rolling-update fenceposts: maxSurge / maxUnavailable from int-or-percent values, with
// upstream's rounding (intstr.GetScaledValueFromIntOrPercent, deploymentutil.ResolveFenceposts).

import type { Deployment, IntOrString } from './deployment-objects.js';
import { deploymentReplicas, isRollingUpdate } from './deployment-objects.js';

export type ScaledValue = { ok: true; value: number } | { ok: false; message: string };

export type Fenceposts =
  { ok: true; surge: number; unavailable: number } | { ok: false; message: string };

const goIntPattern = /^[+-]?[0-9]+$/;

/** strconv.Atoi on the text before '%', or the Go error text. */
function parsePercent(text: string): ScaledValue {
  const digits = text.slice(0, -1);
  if (!goIntPattern.test(digits)) {
    const message = `invalid value "${text}": strconv.Atoi: parsing "${digits}": invalid syntax`;
    return { ok: false, message };
  }
  return { ok: true, value: Number(digits) };
}

/**
 * GetScaledValueFromIntOrPercent: an int is itself; "N%" is N% of `total`, rounded up or down
 * (Go computes in float64 as here, so the results agree bit for bit). Anything else is an error
 * with upstream's text.
 */
export function scaledValueFromIntOrPercent(
  value: IntOrString | undefined,
  total: number,
  roundUp: boolean,
): ScaledValue {
  if (value === undefined) return { ok: false, message: 'nil value for IntOrString' };
  if (typeof value === 'number') return { ok: true, value };
  if (!value.endsWith('%')) {
    const message = 'invalid value for IntOrString: invalid type: string is not a percentage';
    return { ok: false, message };
  }
  const percent = parsePercent(value);
  if (!percent.ok)
    return { ok: false, message: `invalid value for IntOrString: ${percent.message}` };
  const exact = (percent.value * total) / 100;
  return { ok: true, value: roundUp ? Math.ceil(exact) : Math.floor(exact) };
}

/**
 * ResolveFenceposts: surge rounds up, unavailable rounds down, an absent value counts as 0, and
 * when both come out 0 unavailable becomes 1 so a rollout can always make progress.
 */
export function resolveFenceposts(
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
  desired: number,
): Fenceposts {
  const surge = scaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  if (!surge.ok) return surge;
  const unavailable = scaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (!unavailable.ok) return unavailable;
  if (surge.value === 0 && unavailable.value === 0) {
    return { ok: true, surge: 0, unavailable: 1 };
  }
  return { ok: true, surge: surge.value, unavailable: unavailable.value };
}

function fenceposts(deployment: Deployment): { surge: number; unavailable: number } {
  const rolling = deployment.spec.strategy?.rollingUpdate;
  const resolved = resolveFenceposts(
    rolling?.maxSurge,
    rolling?.maxUnavailable,
    deploymentReplicas(deployment),
  );
  // Upstream ignores the error here and uses the zero values.
  return resolved.ok ? resolved : { surge: 0, unavailable: 0 };
}

/** MaxSurge: 0 for Recreate. */
export function maxSurgeOf(deployment: Deployment): number {
  if (!isRollingUpdate(deployment)) return 0;
  return fenceposts(deployment).surge;
}

/** MaxUnavailable: 0 for Recreate or 0 replicas; never more than spec.replicas. */
export function maxUnavailableOf(deployment: Deployment): number {
  const replicas = deploymentReplicas(deployment);
  if (!isRollingUpdate(deployment) || replicas === 0) return 0;
  return Math.min(fenceposts(deployment).unavailable, replicas);
}
