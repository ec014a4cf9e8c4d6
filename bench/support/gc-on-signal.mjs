// Preloaded into the benchmarked gateway (with --expose-gc): SIGUSR2 runs a full garbage collection, so memory
// figures count what the gateway keeps, not garbage V8 has not collected yet.
process.on('SIGUSR2', () => globalThis.gc?.());
