// Go's time.Parse error text for the RFC 3339 layouts metav1.Time and MicroTime decode with.

import { goQuote } from '../values/go-format.js';

export const rfc3339Layout = '2006-01-02T15:04:05Z07:00';
export const rfc3339MicroLayout = '2006-01-02T15:04:05.000000Z07:00';

type Element =
  | { literal: string }
  | { std: 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'micro' | 'zone' };

function elements(micro: boolean): Element[] {
  const head: Element[] = [
    { std: 'year' },
    { literal: '-' },
    { std: 'month' },
    { literal: '-' },
    { std: 'day' },
    { literal: 'T' },
    { std: 'hour' },
    { literal: ':' },
    { std: 'minute' },
    { literal: ':' },
    { std: 'second' },
  ];
  return micro ? [...head, { std: 'micro' }, { std: 'zone' }] : [...head, { std: 'zone' }];
}

const stdText: Readonly<Record<string, string>> = {
  year: '2006',
  month: '01',
  day: '02',
  hour: '15',
  minute: '04',
  second: '05',
  micro: '.000000',
  zone: 'Z07:00',
};

const isDigit = (text: string, i: number): boolean =>
  i < text.length && /[0-9]/.test(text[i] as string);

/** Go's getnum: one or two digits (exactly two when fixed). */
function getNumber(text: string, fixed: boolean): { value: number; rest: string } | undefined {
  if (!isDigit(text, 0)) return undefined;
  if (!isDigit(text, 1)) return fixed ? undefined : { value: Number(text[0]), rest: text.slice(1) };
  return { value: Number(text.slice(0, 2)), rest: text.slice(2) };
}

interface StdResult {
  rest: string;
  value: number;
  /** Set for "<what> out of range". */
  range?: string;
}

const ranges: Readonly<Record<string, [number, number]>> = {
  month: [1, 12],
  hour: [0, 23],
  minute: [0, 59],
  second: [0, 59],
};

function parseZone(text: string): StdResult | undefined {
  if (text.startsWith('Z')) return { rest: text.slice(1), value: 0 };
  if (text.length < 6 || text[3] !== ':' || (text[0] !== '+' && text[0] !== '-')) return undefined;
  const hours = getNumber(text.slice(1, 3), true);
  const minutes = getNumber(text.slice(4, 6), true);
  if (hours === undefined || minutes === undefined) return undefined;
  const result: StdResult = { rest: text.slice(6), value: 0 };
  if (hours.value > 24) result.range = 'time zone offset hour';
  else if (minutes.value > 60) result.range = 'time zone offset minute';
  return result;
}

function parseStd(std: string, text: string, micro: boolean): StdResult | undefined {
  switch (std) {
    case 'year':
      if (text.length < 4 || !/^[0-9]{4}/.test(text)) return undefined;
      return { rest: text.slice(4), value: Number(text.slice(0, 4)) };
    case 'micro':
      if (
        text.length < 7 ||
        (text[0] !== '.' && text[0] !== ',') ||
        !/^[0-9]{6}/.test(text.slice(1))
      ) {
        return undefined;
      }
      return { rest: text.slice(7), value: 0 };
    case 'zone':
      return parseZone(text);
    default: {
      const parsed = getNumber(text, std !== 'hour');
      if (parsed === undefined) return undefined;
      const result: StdResult = { rest: parsed.rest, value: parsed.value };
      const range = ranges[std];
      if (range !== undefined && (parsed.value < range[0] || parsed.value > range[1])) {
        result.range = std;
      }
      if (std === 'second' && !micro) result.rest = skipFraction(result.rest);
      return result;
    }
  }
}

/** RFC 3339 (non-micro) accepts a fractional second the layout does not mention. */
function skipFraction(text: string): string {
  if (text.length >= 2 && (text[0] === '.' || text[0] === ',') && isDigit(text, 1)) {
    let n = 2;
    while (isDigit(text, n)) n += 1;
    return text.slice(n);
  }
  return text;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The error Go's `time.Parse(layout, text)` returns for an RFC 3339 layout, or undefined when
 * the text parses.
 */
export function goTimeParseError(text: string, micro: boolean): string | undefined {
  const layout = micro ? rfc3339MicroLayout : rfc3339Layout;
  const head = `parsing time ${goQuote(text)}`;
  const cannot = (valueElem: string, layoutElem: string): string =>
    `${head} as ${goQuote(layout)}: cannot parse ${goQuote(valueElem)} as ${goQuote(layoutElem)}`;
  let rest = text;
  const parts: Record<string, number> = {};
  for (const element of elements(micro)) {
    if ('literal' in element) {
      if (!rest.startsWith(element.literal)) return cannot(rest, element.literal);
      rest = rest.slice(element.literal.length);
      continue;
    }
    const result = parseStd(element.std, rest, micro);
    if (result === undefined) return cannot(rest, stdText[element.std] as string);
    if (result.range !== undefined) return `${head}: ${result.range} out of range`;
    parts[element.std] = result.value;
    rest = result.rest;
  }
  if (rest !== '') return `${head}: extra text: ${goQuote(rest)}`;
  const day = parts.day ?? 0;
  if (day < 1 || day > daysIn(parts.month ?? 1, parts.year ?? 0))
    return `${head}: day out of range`;
  return undefined;
}
