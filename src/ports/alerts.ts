// How the domain raises an alert without knowing Slack, webhooks or the event store: the sink
// records it as an `alert` event and fans it out to the configured channels.

export type AlertSeverity = 'critical' | 'warning' | 'info';

export interface RaisedAlert {
  /** Stable alert name, used as the event stream and a metric label (bounded: no ids). */
  name: string;
  severity: AlertSeverity;
  summary: string;
  description?: string;
  labels?: Record<string, string>;
}

export interface AlertSink {
  /** Resolves once the `alert` event is stored; the channel fan-out runs in the background. */
  raise(alert: RaisedAlert): Promise<void>;
}
