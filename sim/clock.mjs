// @ts-check
// The simulated cluster's clock: the seconds its counters have run. Real time
// (times `speed`) unless frozen, plus what tests add with `advance`.

/**
 * @typedef {object} SimClock
 * @property {() => number} elapsed seconds the counters have run
 * @property {(seconds: number) => void} advance moves the counters `seconds` ahead
 * @property {() => void} freeze stops the counters where they are
 * @property {() => void} run lets them run from there
 */

/**
 * @param {{ frozen?: boolean, speed?: number }} [options] `speed` runs the counters that many times faster
 *   than the clock (Prometheus tests want big numbers soon)
 * @returns {SimClock}
 */
export function simClock({ frozen: startFrozen = false, speed = 1 } = {}) {
  let started = Date.now();
  let offset = 0;
  let frozen = startFrozen;
  const elapsed = () => (frozen ? 0 : (speed * (Date.now() - started)) / 1000) + offset;
  return {
    elapsed,
    advance: (seconds) => {
      offset += seconds;
    },
    freeze: () => {
      if (!frozen) offset = elapsed();
      frozen = true;
    },
    run: () => {
      if (frozen) started = Date.now();
      frozen = false;
    },
  };
}
