import { defineConfig } from 'tsdown';
import { libraryBuild } from '../../tsdown.shared.ts';

// The emulator is a Node server (node:http, node:crypto), not a neutral library.
export default defineConfig(libraryBuild({ index: 'src/index.ts', cli: 'src/cli.ts' }, { platform: 'node', fixedExtension: false }));
