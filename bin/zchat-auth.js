#!/usr/bin/env node
// Keep this tiny: start-up time is a product feature (ARCHITECTURE.md, "Layers"; `npm run bench`).
// CommonJS (bin/package.json): dist/start.cjs picks the bundle for the command line.
require('../dist/start.cjs');
