// Errors as data. The wasm core decides every error's kind and wording; this
// module only carries them: `FluxShardMetricsError` is what a rejected promise
// of the data API holds, and `hintFor` is the one place that turns a kind into
// advice for a person (the page and the CLI both use it).
import type { Problem } from './generated/Problem.js';
import type { ProblemKind } from './generated/ProblemKind.js';
import type { Permission } from './generated/Permission.js';

export type { Problem } from './generated/Problem.js';
export type { ProblemKind } from './generated/ProblemKind.js';
export type { Permission } from './generated/Permission.js';

/** A problem with the command line or with reading input: exit status 2. */
export class UsageError extends Error {}

/**
 * Why `getShardMetrics` or `listShardSets` rejected: a stable `kind` to switch
 * on, the fields that go with it, and `message` for a person.
 */
export class FluxShardMetricsError extends Error implements Problem {
  override name = 'FluxShardMetricsError';
  readonly kind: ProblemKind;
  readonly pod: string | null;
  readonly url: string | null;
  readonly httpStatus: number | null;
  readonly permission: Permission | null;
  readonly option: string | null;
  readonly limitBytes: number | null;
  readonly timeoutMs: number | null;

  constructor(problem: Problem) {
    super(problem.message);
    this.kind = problem.kind;
    this.pod = problem.pod;
    this.url = problem.url;
    this.httpStatus = problem.httpStatus;
    this.permission = problem.permission;
    this.option = problem.option;
    this.limitBytes = problem.limitBytes;
    this.timeoutMs = problem.timeoutMs;
  }

  /** The problem as plain data (what `JSON.stringify` writes). */
  toJSON(): Problem {
    const { kind, message, pod, url, httpStatus, permission, option, limitBytes, timeoutMs } = this;
    return { kind, message, pod, url, httpStatus, permission, option, limitBytes, timeoutMs };
  }
}

/** What a person can do about a problem of this kind; `null` when there is no general advice. */
export function hintFor(kind: ProblemKind): string | null {
  switch (kind) {
    case 'forbidden':
      return 'Ask for the missing permission named above (the README lists a minimal Role), or use an account that has it.';
    case 'unauthorized':
      return 'Log in again or refresh the credentials of your kubeconfig context.';
    case 'unreachable':
      return 'Check that `kubectl proxy` (or the UI backend) is running and that the server setting points at it.';
    case 'notFound':
      return 'Check the namespace and the name, or open the page without ?shardset= to choose from the list.';
    case 'invalidName':
    case 'invalidOption':
      return 'Correct the value named above.';
    case 'timeout':
      return 'The API server or a pod answered too slowly; try again, or raise the timeout.';
    case 'notServed':
      return 'The FluxShardSet CRD is not installed in this cluster (flux-shard-controller).';
    case 'badQuery':
      return 'Prometheus could not run the query: check the window (a PromQL duration such as 1h) and the label names; a long window over many series may need a longer Prometheus query timeout.';
    case 'noSeries':
      return "Check that this Prometheus scrapes Flux's controllers (a PodMonitor, as in Flux's monitoring example) and that its series carry these namespace and pod labels (labels option).";
    default:
      return null;
  }
}

/** The message of anything thrown. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The kind of anything thrown: a problem's kind, else `null`. */
export function kindOf(error: unknown): ProblemKind | null {
  return error instanceof FluxShardMetricsError ? error.kind : null;
}
