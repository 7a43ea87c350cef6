// Go-style duration strings (`90s`, `1h30m`, `1.5s`, `-30s`) to integer milliseconds, with the
// grammar of Go's time.ParseDuration and exact arithmetic (no float rounding).

export type DurationParse = { ok: true; ms: number } | { ok: false; message: string };

const nsPerUnit: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const nsPerMs = 1_000_000n;
const usage = 'use a number and a unit such as "90s", "1m30s" or "500ms"';

/** Parses `text` as Go's time.ParseDuration does; the result must be whole milliseconds. */
export function parseDurationText(text: string): DurationParse {
  const bad = (why: string): DurationParse => ({
    ok: false,
    message: `invalid duration ${JSON.stringify(text)}: ${why}`,
  });
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return { ok: true, ms: 0 };
  if (rest === '') return bad(usage);
  let totalNs = 0n;
  const element = /([0-9]*)(?:\.([0-9]*))?([^0-9.]*)/y;
  while (element.lastIndex < rest.length) {
    const start = element.lastIndex;
    const match = element.exec(rest);
    if (match === null || element.lastIndex === start) return bad(usage);
    const [, whole = '', fraction = '', unit = ''] = match;
    if (whole === '' && fraction === '') return bad(usage);
    if (unit === '') return bad(`missing unit (such as "${match[0]}s")`);
    const unitNs = nsPerUnit[unit];
    if (unitNs === undefined) return bad(`unknown unit "${unit}" (use h, m, s or ms)`);
    const scale = 10n ** BigInt(fraction.length);
    const scaled =
      (BigInt(whole === '' ? '0' : whole) * scale + BigInt(fraction === '' ? '0' : fraction)) *
      unitNs;
    if (scaled % scale !== 0n) return bad('must be a whole number of milliseconds');
    totalNs += scaled / scale;
  }
  if (totalNs % nsPerMs !== 0n) return bad('must be a whole number of milliseconds');
  const ms = totalNs / nsPerMs;
  if (ms > BigInt(Number.MAX_SAFE_INTEGER)) return bad('too long');
  return { ok: true, ms: negative && ms !== 0n ? -Number(ms) : Number(ms) };
}
