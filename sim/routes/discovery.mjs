// @ts-check
// What a client reads first: the server's version and health, and API
// discovery (`/api`, `/apis` plain or aggregated, each group version's resources).
import { aggregatedGroups, coreResourceList, groupList, resourceList } from '../api.mjs';
import { NEXT } from '../router.mjs';

/** @typedef {import('../router.mjs').Route} Route */

/** The version a Kubernetes 1.37 API server reports. */
const VERSION = {
  major: '1',
  minor: '37',
  emulationMajor: '1',
  emulationMinor: '37',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '36',
  gitVersion: 'v1.37.2',
  gitCommit: '5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b',
  gitTreeState: 'clean',
  buildDate: '2026-11-12T10:00:00Z',
  goVersion: 'go1.26.8',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** @type {import('../router.mjs').Handler} */
const healthy = ({ res }) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
};

/** @returns {Route[]} */
export function discoveryRoutes() {
  return [
    { method: 'GET', path: '/version', handle: () => [200, VERSION] },
    { method: 'GET', path: '/healthz', handle: healthy },
    { method: 'GET', path: '/readyz', handle: healthy },
    { method: 'GET', path: '/api', handle: () => [200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] }] },
    {
      method: 'GET',
      path: '/apis',
      handle: ({ req }) =>
        /as=APIGroupDiscoveryList/.test(req.headers.accept ?? '') ? [200, aggregatedGroups(), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'] : [200, groupList()],
    },
    // Which resources each group/version serves (what `kubectl get` reads first).
    { method: 'GET', path: '/api/v1', handle: () => [200, coreResourceList()] },
    {
      method: 'GET',
      path: '/apis/:group/:version',
      handle: ({ params }) => {
        const doc = resourceList(params.group, params.version);
        return doc ? [200, doc] : NEXT;
      },
    },
  ];
}
