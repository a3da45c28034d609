import { defineConfig } from 'tsdown';
import { libraryBuild } from '../../tsdown.shared.ts';

// One module per source file (not one bundle), so a Worker that uses only Twilio does not carry
// the SNS certificate parser: bundlers drop the modules nothing imports.
export default defineConfig(libraryBuild({ index: 'src/index.ts', testing: 'src/testing/index.ts' }, { unbundle: true }));
