/** A figure measured once per round: its median and range, the way every table reports it. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Every round's value, in round order. */
  values: number[];
}

export function spread(values: readonly number[]): Spread {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, values: [...values] };
  const sorted = [...finite].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, values: [...values] };
}

/**
 * Round-by-round ratios of two contenders measured in the same rounds: pairing by round cancels
 * what the machine was doing during that round, which a ratio of two medians does not.
 */
export function pairedRatio(numerator: readonly number[], denominator: readonly number[]): Spread {
  const count = Math.min(numerator.length, denominator.length);
  return spread(Array.from({ length: count }, (_, index) => numerator[index]! / denominator[index]!));
}

/** `1,234` / `12.3` / `0.123`: three significant figures, thousands grouped. */
export function figure(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 10 ** digits) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** `1,234 (1,100–1,300)`; one value alone when every round agreed or there was one round. */
export function showSpread(value: Spread, digits = 3): string {
  const median = figure(value.median, digits);
  if (value.values.length < 2) return median;
  const low = figure(value.min, digits);
  const high = figure(value.max, digits);
  return low === high ? median : `${median} (${low}–${high})`;
}

/** A ratio as `0.42×` with its round-by-round range. */
export function showRatio(value: Spread): string {
  const show = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
  if (value.values.length < 2 || show(value.min) === show(value.max)) return `${show(value.median)}×`;
  return `${show(value.median)}× (${show(value.min)}–${show(value.max)})`;
}
