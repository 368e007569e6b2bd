// The types of a parsed exposition, as the package and `flux-shard-metrics/parse` both export them
// (from the Rust types, js/generated/), with the options of `parseExposition`: one list for both. Types only.
export type { Exposition } from './generated/Exposition.js';
export type { Family } from './generated/Family.js';
export type { Sample } from './generated/Sample.js';
export type { Exemplar } from './generated/Exemplar.js';
export type { MetricType } from './generated/MetricType.js';
export type { ParseError } from './generated/ParseError.js';
export type { Format } from './generated/Format.js';
export type { ParseOptions } from './decode.js';
