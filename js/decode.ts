// Turns the compact form the wasm module returns (src/exposition/encode.rs
// documents the layout) into the plain objects of the public API.
import type { Format } from './generated/Format.js';
import type { Exposition } from './generated/Exposition.js';
import type { Family } from './generated/Family.js';
import type { ParseError } from './generated/ParseError.js';
import type { Sample } from './generated/Sample.js';
import { METRIC_TYPES as TYPES, NAN, NEGATIVE_INFINITY, POSITIVE_INFINITY } from './generated/encoding.js';

type SampleValue = Sample['value'];

function jsValue(v: number): SampleValue {
  if (v === v && v !== Infinity && v !== -Infinity) return v;
  return v !== v ? NAN : v > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
}

export interface EncodedParts {
  strings: string;
  lengths: Uint32Array;
  ops: Uint32Array;
  numbers: Float64Array;
}

/** Reads a label set at `ops[p]`; returns it and the position after it. */
function readLabels(table: string[], ops: Uint32Array, p: number, out: Record<string, string>): number {
  const end = p + 1 + 2 * ops[p]!;
  for (let q = p + 1; q < end; q += 2) {
    out[table[ops[q]!]!] = table[ops[q + 1]!]!;
  }
  return end;
}

export function decodeExposition({ strings, lengths, ops, numbers }: EncodedParts): Exposition {
  // Positions are plain locals (not captured by closures) so they stay in registers.
  const table: string[] = new Array<string>(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    const end = at + lengths[i]!;
    table[i] = strings.slice(at, end);
    at = end;
  }
  let p = 0;
  let n = 0;
  const families: Family[] = new Array<Family>(ops[p++]!);
  for (let f = 0; f < families.length; f++) {
    const name = table[ops[p]!]!;
    const type = TYPES[ops[p + 1]!]!;
    const help = ops[p + 2]!;
    const unit = ops[p + 3]!;
    const samples: Sample[] = new Array<Sample>(ops[p + 4]!);
    p += 5;
    for (let s = 0; s < samples.length; s++) {
      const sampleName = table[ops[p]!]!;
      const labels: Record<string, string> = {};
      p = readLabels(table, ops, p + 1, labels);
      const value = jsValue(numbers[n++]!);
      const flags = ops[p++]!;
      const timestamp = flags & 1 ? numbers[n++]! : null;
      if (flags & 2) {
        const exemplarLabels: Record<string, string> = {};
        p = readLabels(table, ops, p, exemplarLabels);
        const exemplarValue = jsValue(numbers[n++]!);
        const exemplarTimestamp = ops[p++]! & 1 ? numbers[n++]! : null;
        samples[s] = {
          name: sampleName,
          labels,
          value,
          timestamp,
          exemplar: { labels: exemplarLabels, value: exemplarValue, timestamp: exemplarTimestamp },
        };
      } else {
        samples[s] = { name: sampleName, labels, value, timestamp };
      }
    }
    families[f] = { name, type, help: help ? table[help - 1]! : null, unit: unit ? table[unit - 1]! : null, samples };
  }
  const errors: ParseError[] = new Array<ParseError>(ops[p++]!);
  for (let e = 0; e < errors.length; e++) {
    errors[e] = { line: ops[p]!, column: ops[p + 1]!, message: table[ops[p + 2]!]! };
    p += 3;
  }
  return { families, errors };
}

/** Options of `parseExposition`. */
export interface ParseOptions {
  /** `"prometheus"` (text 0.0.4, the default) or `"openmetrics"` (1.0, strict). */
  format?: Format;
}

/** What the wasm hands over for a parse: its parts, each taken once, then freed. */
export interface EncodedExposition {
  takeStrings(): string;
  takeStringLengths(): Uint32Array;
  takeOps(): Uint32Array;
  takeNumbers(): Float64Array;
  free(): void;
}

const encoder = new TextEncoder();

/**
 * `parseExposition` over a module's `parseExpositionEncoded` (the package's, or the parser's alone): the
 * text checked, handed over as UTF-8, the result decoded and the wasm's copy freed.
 */
export function parseEncodedWith(encode: (text: Uint8Array, format: string) => EncodedExposition, text: unknown, format: string | undefined): Exposition {
  if (typeof text !== 'string') {
    throw new TypeError(`parseExposition: text must be a string, got ${text === null ? 'null' : typeof text}`);
  }
  const encoded = encode(encoder.encode(text), format ?? 'prometheus');
  try {
    return decodeExposition({
      strings: encoded.takeStrings(),
      lengths: encoded.takeStringLengths(),
      ops: encoded.takeOps(),
      numbers: encoded.takeNumbers(),
    });
  } finally {
    encoded.free();
  }
}
