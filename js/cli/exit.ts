// How a command ends: its exit status, and `failed()`, which turns what went
// wrong into a message on stderr (with a hint when the problem's kind has one)
// and a status. A wrong option or name is the command line's fault (2), the
// rest could not be read (1).
import { describe, FluxShardMetricsError, hintFor, UsageError } from '../errors.js';
import { ClusterError } from './kubectl.js';

/** The exit statuses of every command. */
export const EXIT = {
  /** Done (and `--check` found nothing). */
  ok: 0,
  /** Could not be read, `parse` found bad lines, or `--check` failed. */
  failed: 1,
  /** A usage error: a wrong command, flag or value (thrown as `UsageError`, printed with the usage). */
  usage: 2,
} as const;

/** Which flag sets each option of the JS API, to name it in messages. */
const FLAGS: Record<string, string> = {
  server: '--server',
  headers: '--header',
  timeoutMs: '--timeout',
  maxBodyBytes: '--max-body-bytes',
  namespace: '-n',
  name: 'NAME',
  controller: 'NAME',
  prometheus: '--prometheus',
  'prometheus.url': '--prometheus',
  'prometheus.service': '--prometheus',
  'prometheus.window': '--window',
  'prometheus.labels': '--prometheus-label',
  'prometheus.cluster': '--prometheus-cluster',
};

/**
 * Reports a failed call: a wrong option or name is a usage error (thrown, exit 2, named by its
 * flag), anything else could not be read (exit 1). The hint comes from the kind.
 */
export function failed(error: unknown, what = ''): number {
  if (error instanceof FluxShardMetricsError && (error.kind === 'invalidOption' || error.kind === 'invalidName')) {
    const flag = error.option ? FLAGS[error.option] : undefined;
    throw new UsageError(flag ? `${flag}: ${error.message}` : error.message);
  }
  if (error instanceof UsageError) throw error;
  process.stderr.write(`flux-shard-metrics: ${what}${describe(error)}\n`);
  const hint = error instanceof FluxShardMetricsError ? hintFor(error.kind) : error instanceof ClusterError ? error.hint : null;
  if (hint) process.stderr.write(`hint: ${hint}\n`);
  return EXIT.failed;
}
