/** One sample: metric name, labels, value. */
export interface Sample {
  name: string;
  labels?: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: Sample[];
  /** How the workers' samples of a cluster combine: summed (the default), or the largest. */
  aggregate?: 'max';
}

const sampleKey = (s: Sample) => (s.labels ? `${s.name}${JSON.stringify(Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1)))}` : s.name);

/**
 * One instance's metrics from its cluster workers' own: samples with the same name and labels
 * are summed (counters, queue lengths, pool sizes) or, for `aggregate: 'max'`, the largest kept.
 */
export function mergeFamilies(parts: MetricFamily[][]): MetricFamily[] {
  const families = new Map<string, { family: MetricFamily; samples: Map<string, Sample> }>();
  for (const part of parts) {
    for (const f of part) {
      let merged = families.get(f.name);
      if (!merged) {
        merged = { family: f, samples: new Map() };
        families.set(f.name, merged);
      }
      for (const s of f.samples) {
        const key = sampleKey(s);
        const seen = merged.samples.get(key);
        if (!seen) merged.samples.set(key, { ...s });
        else seen.value = f.aggregate === 'max' ? Math.max(seen.value, s.value) : seen.value + s.value;
      }
    }
  }
  return [...families.values()].map(({ family, samples }) => ({ ...family, samples: [...samples.values()] }));
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** Renders metric families in the Prometheus text exposition format (version 0.0.4). */
export function renderPrometheus(families: MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = s.labels && Object.keys(s.labels).length
        ? `{${Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`
        : '';
      lines.push(`${s.name}${labels} ${Number.isFinite(s.value) ? s.value : 0}`);
    }
  }
  return lines.join('\n') + '\n';
}
