// The channels the config turns on: the generic JSON webhook and Slack, each only when its URL is set.
import type { Config } from '../../config/config.ts';
import type { AlertChannel } from './channel.ts';
import { createSlackChannel } from './slack-channel.ts';
import { createWebhookChannel } from './webhook-channel.ts';

export function channelsFromConfig(alerts: Config['alerts']): AlertChannel[] {
  const channels: AlertChannel[] = [];
  if (alerts.webhookUrl)
    channels.push(
      createWebhookChannel({ url: alerts.webhookUrl, minSeverity: alerts.webhookMinSeverity }),
    );
  if (alerts.slackWebhookUrl)
    channels.push(
      createSlackChannel({ url: alerts.slackWebhookUrl, minSeverity: alerts.slackMinSeverity }),
    );
  return channels;
}
