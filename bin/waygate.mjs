#!/usr/bin/env node
// `waygate start [--sandbox]`: runs the compiled gateway (`npm run build` makes dist/).
import '../dist/main.js';
