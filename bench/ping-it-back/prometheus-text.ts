export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** The samples of one metric in Prometheus' text format (enough for prom-client's output). */
export function samplesOf(metrics: string, name: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of metrics.split('\n')) {
    const match = /^(\w+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ labels, value: Number(match[3]) });
  }
  return samples;
}

/**
 * Whether a process exports a metric at all. A labelled counter that has counted nothing yet has its `# TYPE`
 * line and no sample: it is exported, at 0.
 */
export function isExported(metrics: string, name: string): boolean {
  return metrics.includes(`# TYPE ${name} `) || samplesOf(metrics, name).length > 0;
}

export async function fetchMetrics(healthUrl: string): Promise<string> {
  return (await fetch(`${healthUrl}/metrics`)).text();
}
