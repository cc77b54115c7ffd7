#!/usr/bin/env node
// Keep this tiny: start-up time is a product feature (see design.md, performance targets).
import '../dist/cli.js';
