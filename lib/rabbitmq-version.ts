// RabbitMQ versions: parsing and the known-bad releases. Shared by RabbitMqCluster (components/)
// and the policy pack (policies/), which imports nothing from components/.

/** A RabbitMQ version, `major.minor.patch`. */
export interface RabbitMqVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export const rabbitMqVersionPattern = /^(\d{1,2})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses `4.1.4`; undefined for anything else. */
export function parseRabbitMqVersion(text: string): RabbitMqVersion | undefined {
  const m = rabbitMqVersionPattern.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

/** True when `v` is `major.minor` or newer. */
export function atLeast(v: RabbitMqVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

/**
 * The release that fixed the boot hang of rabbitmq-server#6034 in `v`'s series, when `v` has it:
 * on Erlang 25, a node rejoining after a partition or restarted by a rolling update can wait in
 * `global:sync` forever (3.10.0–3.10.8 and 3.11.0; fixed in 3.10.9 and 3.11.1).
 */
export function bootHangFixedIn(v: RabbitMqVersion): string | undefined {
  if (v.major !== 3) return undefined;
  if (v.minor === 10 && v.patch <= 8) return "3.10.9";
  if (v.minor === 11 && v.patch === 0) return "3.11.1";
  return undefined;
}
