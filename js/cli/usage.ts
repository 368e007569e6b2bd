// The command's name and its --help: what the README's CLI section mirrors
// (tests/js/readme.test.mjs checks that every command and flag is in both).
import { basename } from 'node:path';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_REFRESH_SECONDS, DEFAULT_TIMEOUT_MS, DEFAULT_WINDOW, MAX_TIMEOUT_MS } from '../generated/defaults.js';

/** `kubectl shard-metrics` when run as the kubectl plugin (the `kubectl-shard_metrics` bin), else the package's command. */
export const NAME = basename(process.argv[1] ?? '').startsWith('kubectl-shard_metrics') ? 'kubectl shard-metrics' : 'flux-shard-metrics';

export const USAGE = `Usage:
  ${NAME} ui [--port 8001] [--open] [-n NAMESPACE] [--shardset NAME | --controller NAME] [--context C] [--kubeconfig F]
  ${NAME} get NAME|fluxshardset/NAME|deployment/NAME [-n NAMESPACE] [-o table|wide|json|csv] [--check]
        [-w [--interval S]] [--prometheus URL|svc/NS/NAME:PORT [--window ${DEFAULT_WINDOW}]]
  ${NAME} list [-n NAMESPACE | -A] [-o table|json]
  ${NAME} parse [FILE|-] [--format prometheus|openmetrics] [--json]
  ${NAME} demo [--port 8001] [--open]
  ${NAME} --version

Commands:
  ui      serve the page with \`kubectl proxy\` on 127.0.0.1 (port 0: a free one) and print its URL;
          --open opens a browser. Ctrl-C stops it.
  get     reconciliations, errors and a status for every Deployment of a shard group: a FluxShardSet
          (fluxshardset/NAME), or the group of a Deployment (deployment/NAME: its main controller or
          one of its shards; made by a FluxShardSet, the Flux Operator's FluxInstance, or by hand).
          A bare NAME is the FluxShardSet of that name, else the Deployment
  list    the shard groups of a namespace, or of all namespaces (-A): Namespace, Name, Kind
          (FluxShardSet, FluxInstance, Manual), Controller, Shards, Key, Ready
  parse   parse a Prometheus/OpenMetrics exposition and summarise its families
  demo    the page over a simulated cluster that runs in this process (needs only kubectl)

Reaching the cluster (ui, get, list): like kubectl, from the kubeconfig (KUBECONFIG, or ~/.kube/config)
and its current context, through a private \`kubectl proxy\` that stops with the command; so every
way kubectl logs in works.
      --context NAME     a context of the kubeconfig other than the current one
      --kubeconfig FILE  another kubeconfig file
  -n, --namespace NS     default: the context's namespace, else flux-system
  -s, --server URL       the Kubernetes API itself instead (a running \`kubectl proxy\`, e.g.
                         http://127.0.0.1:8001, or a backend serving the same paths); no kubectl needed
  -H, --header 'N: v'    an extra request header with --server, e.g. 'Authorization: Bearer TOKEN'
      --timeout MS       deadline of each request, its body and retries included, in milliseconds
                         (default ${DEFAULT_TIMEOUT_MS}, at most ${MAX_TIMEOUT_MS})
      --max-body-bytes N the largest body read, counted as it arrives (default ${DEFAULT_MAX_BODY_BYTES})

Options of get:
      --check            exit 1 when a row is missing, misconfigured (overlapping selectors, an artifact
                         server that is not its own included), unreachable or stuck, objects are
                         reconciled by nobody or twice, or a dependency is on another shard (for CI and cron)
  -w, --watch            read again every --interval seconds (default ${DEFAULT_REFRESH_SECONDS}) and redraw the table, with
                         reconciliations per minute since the previous read; Ctrl-C ends it
  -o csv                 one row per Deployment with raw numbers, for spreadsheets
      --prometheus WHERE the counts over a window from Prometheus instead of each pod's /metrics:
                         its URL (http://prometheus:9090) or a Service through the API server
                         (svc/NAMESPACE/NAME:PORT, e.g. svc/monitoring/prometheus-operated:9090)
      --window W         the window, a PromQL duration (default ${DEFAULT_WINDOW}; 5m, 24h, 7d, …)
      --prometheus-label KEY=LABEL  label names of the series when they differ (namespace=exported_namespace)
      --prometheus-cluster C        on a store that spans clusters: the cluster label's value

Exit status: 0 on success; 1 when parse found bad lines, the cluster could not be read, or
get --check found a problem; 2 for usage or I/O errors.`;
