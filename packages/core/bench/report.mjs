// Prints the medians of a `vitest bench --outputJson` report as ratios against each group's
// baseline: tinybench's summary compares means, which one stalled sample on a shared machine skews.
import { readFileSync } from 'node:fs';

const [path] = process.argv.slice(2);
if (path === undefined) {
  console.error('usage: node bench/report.mjs <vitest-bench-output.json>');
  process.exit(2);
}

const report = JSON.parse(readFileSync(path, 'utf8'));
const rows = [];
for (const file of report.files) {
  for (const group of file.groups) {
    const baseline = group.benchmarks.find((benchmark) => benchmark.name.startsWith('baseline'));
    if (baseline === undefined) throw new Error(`${group.fullName}: no benchmark named "baseline: …" to compare with`);
    for (const benchmark of group.benchmarks) {
      rows.push({
        group: group.fullName.split(' > ').at(-1),
        benchmark: benchmark.name,
        'median µs': (benchmark.median * 1000).toFixed(1),
        'p99 µs': (benchmark.p99 * 1000).toFixed(1),
        samples: benchmark.sampleCount,
        'median ÷ baseline': benchmark === baseline ? '1.00' : (benchmark.median / baseline.median).toFixed(2),
      });
    }
  }
}

console.log('\nMedian time per call, as a ratio of the baseline measured in the same group and run:');
console.table(rows);
