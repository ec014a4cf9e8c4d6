// A fixed-concurrency request loop (keep-alive fetch) for throughput figures; no extra dependency.
export async function requestsPerSecond(url: string, headers: Record<string, string>, { seconds = 3, concurrency = 32 } = {}): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let failed = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      if (response.ok) done++;
      else failed++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failed) throw new Error(`${failed} requests to ${url} failed`);
  return done / ((performance.now() - start) / 1000);
}

export async function warmUp(url: string, headers: Record<string, string>): Promise<void> {
  await requestsPerSecond(url, headers, { seconds: 0.5, concurrency: 8 });
}

/**
 * Throughput of `target` relative to `baseline`, alternating the two for several rounds so machine noise
 * hits both alike; returns the median of the per-round ratios and of each side's rate.
 */
export async function compareThroughput(
  target: { url: string; headers?: Record<string, string> },
  baseline: { url: string; headers?: Record<string, string> },
  rounds = 3
): Promise<{ ratio: number; targetRps: number; baselineRps: number }> {
  await warmUp(target.url, target.headers ?? {});
  await warmUp(baseline.url, baseline.headers ?? {});
  const ratios: number[] = [];
  const targets: number[] = [];
  const baselines: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const b = await requestsPerSecond(baseline.url, baseline.headers ?? {}, { seconds: 2 });
    const t = await requestsPerSecond(target.url, target.headers ?? {}, { seconds: 2 });
    baselines.push(b);
    targets.push(t);
    ratios.push(t / b);
  }
  const mid = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  return { ratio: mid(ratios), targetRps: mid(targets), baselineRps: mid(baselines) };
}
