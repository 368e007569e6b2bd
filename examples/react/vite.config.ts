// No plugin and no optimizeDeps setting: the package works with Vite's defaults, in dev and build.
// In dev, the Kubernetes API paths go to `kubectl proxy` (K8S_API, default http://127.0.0.1:8001),
// as a UI backend would serve them on the app's own origin.
import { defineConfig } from 'vite';

const api = process.env.K8S_API ?? 'http://127.0.0.1:8001';

export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic' },
  server: { proxy: { '/api': api, '/apis': api } },
});
