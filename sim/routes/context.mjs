// @ts-check
// What every family of routes is given: the simulated cluster and how it
// behaves (its clock, counters, upstreams and misbehaviour on demand).

/**
 * @typedef {object} Sim
 * @property {import('../model.mjs').Cluster} cluster the objects and pods
 * @property {ReturnType<typeof import('../api.mjs').resources>} served group → version → plural → kind
 * @property {import('../clock.mjs').SimClock} clock
 * @property {import('../counters.mjs').Counters} counters
 * @property {Map<string, string>} services the service proxy's upstreams, `namespace/name:port` → base URL
 * @property {{ retryAfterOnce: Set<string>, html: Set<string> }} quirks paths answered once with 429 + Retry-After, or with an HTML page
 * @property {number} latencyMs a delay before every GET
 * @property {number} slowMs how long a `slow` pod takes to answer
 * @property {() => number} port the port the server listens on
 */

export {};
