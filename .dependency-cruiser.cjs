/**
 * The layering of the monorepo, checked by `pnpm lint` (dependency-cruiser). Arrows point down:
 *   adapters → core's public entry points;  bridge/http → routing, providers, sender → model, wire.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const core = '^packages/core/src/';
// Tests may reach across layers to exercise a provider through the handler.
const testFiles = '\\.test(-d)?\\.ts$';
module.exports = {
  forbidden: [
    {
      name: 'providers-never-import-http',
      comment: 'Providers verify and parse; the HTTP handler calls them, never the other way round.',
      severity: 'error',
      from: { path: `${core}providers/`, pathNot: testFiles },
      to: { path: `${core}(http|bridge)/` },
    },
    {
      name: 'routing-never-imports-providers',
      comment: 'Routing works on the normalised InboundMessage (model/), whatever provider made it.',
      severity: 'error',
      from: { path: `${core}routing/`, pathNot: testFiles },
      to: { path: `${core}(providers|http|bridge)/` },
    },
    {
      name: 'model-and-wire-are-leaves',
      comment: 'The event model and the request/response types import nothing above them.',
      severity: 'error',
      from: { path: `${core}(model|wire)/`, pathNot: testFiles },
      to: { path: `${core}(providers|routing|sender|http|bridge|config|idempotency|sessions|replies)/` },
    },
    {
      name: 'core-never-imports-adapters-or-emulator',
      severity: 'error',
      from: { path: '^packages/core/' },
      to: { path: '^packages/(express|hono|nestjs|emulator)/' },
    },
    {
      name: 'adapters-import-only-public-entry-points',
      comment: "Adapters use @connect-chat/core's exports, never its files.",
      severity: 'error',
      from: { path: '^packages/(express|hono|nestjs)/src/' },
      to: { path: `${core}`, pathNot: `${core}(index|testing/index)\\.ts$` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['source', 'import', 'default'], extensions: ['.ts', '.js'] },
  },
};
