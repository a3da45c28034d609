import { defineConfig } from 'tsdown';
import { libraryBuild } from '../../tsdown.shared.ts';

// One module per source file (not one bundle), so a Worker that uses only Twilio does not carry
// the SNS certificate parser: bundlers drop the modules nothing imports. `#default-transport` stays
// an import, resolved where core runs (package.json "imports": the SDK transport on Node, Bun and
// Deno, the fetch transport in Workers and browsers), so both of its modules are entries; so does
// `#crypto` (node:crypto on Node, Bun and Deno; Web Crypto in Workers and browsers) and
// `#signed-post` (undici and aws4; fetch and aws4fetch) and `#sdk-runtime` (aws4 and undici for the SDK clients
// core builds; the SDK's own signer).
export default defineConfig(
  libraryBuild(
    {
      index: 'src/index.ts',
      testing: 'src/testing/index.ts',
      'sender/default-transport': 'src/sender/default-transport.ts',
      'sender/default-transport.web': 'src/sender/default-transport.web.ts',
      'crypto/node-crypto': 'src/crypto/node-crypto.ts',
      'crypto/web-crypto': 'src/crypto/web-crypto.ts',
      'sender/signed-post': 'src/sender/signed-post.ts',
      'sender/signed-post.web': 'src/sender/signed-post.web.ts',
      'sender/sdk-runtime': 'src/sender/sdk-runtime.ts',
      'sender/sdk-runtime.web': 'src/sender/sdk-runtime.web.ts',
    },
    { unbundle: true, external: ['#default-transport', '#crypto', '#signed-post', '#sdk-runtime'] },
  ),
);
