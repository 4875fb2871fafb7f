/**
 * The numbers a text states, as values: "1,500", "1500" and "1500.0" are one number. Grounding
 * compares values, so a model that writes 42 where a tool wrote 42.0 is not caught out, while
 * one that writes 54.1 where the tool wrote 54 is.
 */
const NUMBER = /(?<![\w.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]*\d)|(?<![\w.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi;

export function numbersIn(text: string): number[] {
  return [...text.matchAll(NUMBER)].map((m) => Number(m[0].replace(/,/g, ''))).filter(Number.isFinite);
}

/** Every number in a JSON value: numbers themselves and the numerals inside its strings. */
export function numbersInValue(value: unknown): number[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [value] : [];
  if (typeof value === 'string') return numbersIn(value);
  if (Array.isArray(value)) return value.flatMap(numbersInValue);
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbersInValue);
  return [];
}

/** The numbers of `stated` that none of `known` is (as a value); "-5" is known when 5 is, as a sign is phrasing. */
export function unknownNumbers(stated: number[], known: number[]): number[] {
  const values = new Set(known.flatMap((n) => [n, Math.abs(n)]));
  return stated.filter((n) => !values.has(Math.abs(n)));
}
