#!/usr/bin/env node
// Keep this tiny: start-up time is a product feature (ARCHITECTURE.md, "Layers"; `npm run bench`).
import '../dist/cli.js';
