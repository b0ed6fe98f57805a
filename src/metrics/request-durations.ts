/** Upper bounds (seconds) of http_request_duration_seconds. */
export const REQUEST_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

type Labels = Record<string, string | number>;

/** One line of the exposition, as prom-client's registry reads it from a metric's get(). */
interface ExportedValue {
  metricName: string;
  labels: Labels;
  sharedLabels: Labels;
  value: number;
}

interface Series {
  labels: { method: string; route: string; status: string };
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  counts: number[];
  sum: number;
  count: number;
}

/**
 * http_request_duration_seconds: a Prometheus histogram by method, route and status, written by
 * every request. prom-client's Histogram checks and hashes the labels on every observation, even
 * through a bound child (about 5 µs a request, measured with npm run bench:overhead); here a
 * request costs three Map lookups and a few comparisons. The registry reads it through get(),
 * as it reads its own metrics, and the exposition text is the same (request-durations.spec.ts).
 */
export class RequestDurations {
  readonly name = 'http_request_duration_seconds';
  readonly help = 'HTTP request duration by method, route and status';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  /** route → method → status → series: no key string is built per request. */
  private readonly series = new Map<string, Map<string, Map<number, Series>>>();

  observe(method: string, route: string, status: number, seconds: number): void {
    let byMethod = this.series.get(route);
    if (!byMethod) this.series.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (!series) {
      series = {
        labels: { method, route, status: String(status) },
        counts: new Array<number>(REQUEST_DURATION_BUCKETS.length + 1).fill(0),
        sum: 0,
        count: 0,
      };
      byStatus.set(status, series);
    }
    let bucket = 0;
    while (bucket < REQUEST_DURATION_BUCKETS.length && seconds > REQUEST_DURATION_BUCKETS[bucket]) bucket++;
    series.counts[bucket]++;
    series.sum += seconds;
    series.count++;
  }

  /**
   * prom-client's metric interface: what Registry.metrics() formats. The series' labels go in
   * `sharedLabels` and `le` in `labels`, as prom-client's Histogram exports them, so the text is
   * the same down to the label order.
   */
  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: ExportedValue[] }> {
    const values: ExportedValue[] = [];
    for (const byMethod of this.series.values())
      for (const byStatus of byMethod.values())
        for (const { labels, counts, sum, count } of byStatus.values()) {
          const bucket = `${this.name}_bucket`;
          let cumulative = 0;
          REQUEST_DURATION_BUCKETS.forEach((le, i) => {
            cumulative += counts[i];
            values.push({ metricName: bucket, labels: { le }, value: cumulative, sharedLabels: labels });
          });
          values.push({ metricName: bucket, labels: { le: '+Inf' }, value: count, sharedLabels: labels });
          values.push({ metricName: `${this.name}_sum`, labels: {}, value: sum, sharedLabels: labels });
          values.push({ metricName: `${this.name}_count`, labels: {}, value: count, sharedLabels: labels });
        }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  reset(): void {
    this.series.clear();
  }
}
