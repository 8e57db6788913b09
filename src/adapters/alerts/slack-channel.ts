// The Slack channel (AIS_SLACK_WEBHOOK_URL): an incoming-webhook message in Block Kit, titled
// "AIS Alert" like the original Alertmanager receiver. `text` is the notification fallback.
import type { AlertSeverity } from '../../ports/alerts.ts';
import { type AlertChannel, type AlertNotice, postJson } from './channel.ts';

const ICON: Record<string, string> = { critical: ':red_circle:', warning: ':large_orange_circle:', info: ':large_blue_circle:', resolved: ':white_check_mark:' };

/** Slack refuses section texts over 3,000 characters. */
const MAX_TEXT = 3_000;
const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);
/** mrkdwn treats &, < and > as control characters. */
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackMessage(n: AlertNotice) {
  const state = n.status === 'resolved' ? 'RESOLVED' : 'FIRING';
  const icon = ICON[n.status === 'resolved' ? 'resolved' : n.severity];
  const headline = `[${state}:${n.severity}] ${n.name}`;
  const labels = Object.entries(n.labels)
    .filter(([k]) => k !== 'alertname' && k !== 'severity')
    .map(([k, v]) => `\`${escape(k)}=${escape(v)}\``)
    .join(' ');
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: 'AIS Alert' } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(`${icon} *${escape(headline)}*\n${escape(n.summary)}`) } },
  ];
  if (n.description) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(escape(n.description)) } });
  const context = [`source: ${n.source}`];
  if (labels) context.push(labels);
  if (n.runbookUrl) context.push(`<${n.runbookUrl}|runbook>`);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(context.join(' · ')) }] });
  return { text: `AIS Alert ${headline}: ${n.summary}`, blocks };
}

export function createSlackChannel(opts: { url: string; minSeverity: AlertSeverity; timeoutMs?: number }): AlertChannel {
  return {
    name: 'slack',
    minSeverity: opts.minSeverity,
    send: (n) => postJson(opts.url, slackMessage(n), opts.timeoutMs),
  };
}
