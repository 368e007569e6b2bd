// Type-checked by `tsc -p tests/js` (strict): how a TypeScript consumer uses the
// package. The @ts-expect-error lines fail the check if the types loosen.
import { init, parseExposition, type Exposition, type Family, type Sample, type MetricType } from 'flux-shard-metrics';

await init();
const result: Exposition = parseExposition('up 1\n', { format: 'prometheus' });
const family: Family = result.families[0]!;
const type: MetricType = family.type;
const help: string | null = family.help;
const sample: Sample = family.samples[0]!;
const value: number | 'NaN' | '+Inf' | '-Inf' = sample.value;
const labels: Record<string, string> = sample.labels;
const timestamp: number | null = sample.timestamp;
const where: number = result.errors[0]?.line ?? 0;
void [type, help, value, labels, timestamp, where];

// @ts-expect-error: only two formats exist
parseExposition('up 1\n', { format: 'json' });
// @ts-expect-error: a value may be a string, so it is not always a number
const notAlwaysNumber: number = sample.value;
// @ts-expect-error: help may be null
const notAlwaysString: string = family.help;
void [notAlwaysNumber, notAlwaysString];
