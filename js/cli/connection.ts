// Where the commands that read the cluster (get, list) read: --server, or a
// private `kubectl proxy` with the kubeconfig's context (kubectl.ts), and the
// namespace by one rule for every command.
import type { ConnectionOptions } from '../cluster.js';
import { UsageError } from '../errors.js';
import { checkReachable, contextNamespace, currentContext, startProxy } from './kubectl.js';

/** The namespace when neither -n nor the kubeconfig's context names one. */
export const DEFAULT_NAMESPACE = 'flux-system';

/** Flags every command that reads the cluster takes. */
export const CONNECTION_FLAGS = {
  server: { type: 'string', short: 's' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  header: { type: 'string', short: 'H', multiple: true },
  timeout: { type: 'string' },
  'max-body-bytes': { type: 'string' },
  namespace: { type: 'string', short: 'n' },
} as const;

export interface ConnectionFlags {
  server?: string | undefined;
  context?: string | undefined;
  kubeconfig?: string | undefined;
  header?: string[] | undefined;
  timeout?: string | undefined;
  'max-body-bytes'?: string | undefined;
  namespace?: string | undefined;
}

/** Where a command reads: the connection options, the namespace, and `close` to stop a private proxy. */
export interface Connection {
  options: ConnectionOptions;
  /** -n, else the kubeconfig context's namespace, else flux-system: the same rule for every command. */
  namespace: string;
  close: () => void;
}

/** A number when the flag is written as one; otherwise the text, so the core names what was given. */
function numberOrText(value: string): number | string {
  return /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value.trim()) ? Number(value) : value;
}

/** The API to use: --server, or a private `kubectl proxy` with the kubeconfig's context. */
export async function connect(values: ConnectionFlags): Promise<Connection> {
  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header must be 'Name: value', got '${h}'`);
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  const options: ConnectionOptions = { server: values.server ?? '', headers };
  // The core checks the ranges and says what is wrong (see `failed`).
  if (values.timeout !== undefined) options.timeoutMs = numberOrText(values.timeout) as number;
  if (values['max-body-bytes'] !== undefined) options.maxBodyBytes = numberOrText(values['max-body-bytes']) as number;
  if (values.server !== undefined) {
    if (values.context || values.kubeconfig) throw new UsageError('--server and --context/--kubeconfig do not go together: --server names the API itself');
    const namespace = values.namespace ?? (await contextNamespace({})) ?? DEFAULT_NAMESPACE;
    return { options, namespace, close: () => {} };
  }
  const kube = { context: values.context, kubeconfig: values.kubeconfig };
  const context = await currentContext(kube);
  const namespace = values.namespace ?? context.namespace ?? DEFAULT_NAMESPACE;
  const proxy = await startProxy(kube, 0);
  try {
    await checkReachable(proxy, context);
  } catch (e) {
    proxy.stop();
    throw e;
  }
  options.server = proxy.url;
  return { options, namespace, close: () => proxy.stop() };
}
