// The Slack channel (AIS_SLACK_WEBHOOK_URL): one incoming-webhook message in Block Kit per alert
// group, titled "AIS Alert" like the original Alertmanager receiver. `text` is the notification
// fallback.
import type { AlertSeverity } from '../../ports/alerts.ts';
import { type AlertChannel, type AlertNotice, type NoticeGroup, postJson } from './channel.ts';

const ICON: Record<string, string> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
  resolved: ':white_check_mark:',
};

/** Slack refuses section texts over 3,000 characters and messages over 50 blocks. */
const MAX_TEXT = 3_000;
const MAX_ALERT_SECTIONS = 45;
const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);
/** mrkdwn treats &, < and > as control characters. */
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const headline = (n: AlertNotice) =>
  `[${n.status === 'resolved' ? 'RESOLVED' : 'FIRING'}:${n.severity}] ${n.name}`;
const icon = (n: AlertNotice) => ICON[n.status === 'resolved' ? 'resolved' : n.severity];
const labelsOf = (n: AlertNotice) =>
  Object.entries(n.labels)
    .filter(([k]) => k !== 'alertname' && k !== 'severity')
    .map(([k, v]) => `\`${escape(k)}=${escape(v)}\``)
    .join(' ');

/** One alert: headline and summary, description, then source, labels and runbook. */
function singleMessage(n: AlertNotice) {
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: 'AIS Alert' } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(`${icon(n)} *${escape(headline(n))}*\n${escape(n.summary)}`),
      },
    },
  ];
  if (n.description)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(escape(n.description)) } });
  const context = [`source: ${n.source}`];
  const labels = labelsOf(n);
  if (labels) context.push(labels);
  if (n.runbookUrl) context.push(`<${n.runbookUrl}|runbook>`);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(context.join(' · ')) }] });
  return { text: `AIS Alert ${headline(n)}: ${n.summary}`, blocks };
}

/** Several alerts: a count line, then one line per alert (as many as fit in Slack's block limit). */
function groupMessage(g: NoticeGroup) {
  const firing = g.notices.filter((n) => n.status === 'firing').length;
  const resolved = g.notices.length - firing;
  const counts = [firing && `${firing} firing`, resolved && `${resolved} resolved`]
    .filter(Boolean)
    .join(', ');
  const names = [...new Set(g.notices.map((n) => n.name))];
  const title = `${counts}: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`;
  const shown = g.notices.slice(0, MAX_ALERT_SECTIONS);
  const left = g.notices.length - shown.length + g.truncatedAlerts;
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: 'AIS Alert' } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(`*${escape(title)}*`) } },
    ...shown.map((n) => {
      const labels = labelsOf(n);
      const runbook = n.runbookUrl ? ` <${n.runbookUrl}|runbook>` : '';
      return {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: clip(
            `${icon(n)} *${escape(headline(n))}* ${escape(n.summary)}${labels ? `\n${labels}` : ''}${runbook}`,
          ),
        },
      };
    }),
  ];
  if (left > 0)
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `…and ${left} more alert${left === 1 ? '' : 's'} not listed` },
      ],
    });
  return { text: `AIS Alert ${title}`, blocks };
}

function slackMessage(g: NoticeGroup) {
  return g.notices.length === 1 && g.truncatedAlerts === 0
    ? singleMessage(g.notices[0]!)
    : groupMessage(g);
}

export function createSlackChannel(opts: {
  url: string;
  minSeverity: AlertSeverity;
  timeoutMs?: number;
}): AlertChannel {
  return {
    name: 'slack',
    minSeverity: opts.minSeverity,
    send: (g) => postJson('slack', opts.url, slackMessage(g), opts.timeoutMs),
  };
}
