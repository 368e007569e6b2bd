// Which form of the object lists to read: full objects, `as=Table`, or
// metadata only (PartialObjectMetadataList), on 5,000 Kustomizations with a
// realistic status (conditions, inventory, managed fields), in pages of 500
// as the shipped client reads them. Prints bytes, time to fetch and time to
// JSON.parse per form, and what each form can tell. `node benches/objects-forms.mjs`
import { startCluster } from '../sim/cluster.mjs';

const objects = Number(process.env.OBJECTS ?? 5000);
const sim = await startCluster({ scenario: 'bench', shards: 50, replicas: 1, objects, kinds: ['Kustomization'], frozen: true });
const FORMS = [
  ['full objects (shipped)', 'application/json', 'labels, Ready, spec.suspend'],
  ['as=Table (includeObject=Metadata)', 'application/json;as=Table;v=v1;g=meta.k8s.io', 'labels, Ready (a printer column); no spec.suspend'],
  ['as=Table (includeObject=None)', 'application/json;as=Table;v=v1;g=meta.k8s.io', 'Ready only; no labels, so no shard'],
  ['metadata only', 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1', 'labels only; no Ready, no spec.suspend'],
];
console.log(`node ${process.version}; ${objects} Kustomizations, pages of 500`);
try {
  for (const [name, accept, tells] of FORMS) {
    const runs = [];
    for (let run = 0; run < 5; run++) {
      let bytes = 0;
      let fetchMs = 0;
      let parseMs = 0;
      let token = '';
      let count = 0;
      do {
        const query = `limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}${name.includes('None') ? '&includeObject=None' : ''}`;
        const t0 = performance.now();
        const text = await (await fetch(`${sim.url}/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations?${query}`, { headers: { accept } })).text();
        const t1 = performance.now();
        const page = JSON.parse(text);
        parseMs += performance.now() - t1;
        fetchMs += t1 - t0;
        bytes += Buffer.byteLength(text);
        count += (page.items ?? page.rows).length;
        token = page.metadata.continue ?? '';
      } while (token);
      if (count !== objects) throw new Error(`${name}: ${count} objects`);
      runs.push({ bytes, fetchMs, parseMs });
    }
    runs.sort((a, b) => a.fetchMs + a.parseMs - (b.fetchMs + b.parseMs));
    const m = runs[2];
    console.log(`${name.padEnd(36)} ${(m.bytes / 1e6).toFixed(2).padStart(6)} MB, fetch ${m.fetchMs.toFixed(0).padStart(4)} ms, JSON.parse ${m.parseMs.toFixed(0).padStart(4)} ms — ${tells}`);
  }
} finally {
  await sim.close();
}
