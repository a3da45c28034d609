import { defineConfig } from 'tsdown';

export default defineConfig({ entry: { index: 'src/index.ts' }, format: ['esm'], platform: 'node', dts: false, clean: true, fixedExtension: false });
