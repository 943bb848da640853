export type ChatFlavor = 'slack' | 'teams' | 'mattermost';
export const CHAT_FLAVORS: ChatFlavor[] = ['slack', 'teams', 'mattermost'];
/** Alert kinds a chat webhook may carry. */
export const CHAT_KINDS = ['stale', 'reply_overdue'] as const;
export type ChatKind = (typeof CHAT_KINDS)[number];
export const CHAT_KIND_WORDS: Record<ChatKind, string> = {
  stale: 'Stale candidates (and their escalations)',
  reply_overdue: "Candidates' unanswered replies",
};
export const FLAVOR_WORDS: Record<ChatFlavor, string> = {
  slack: 'Slack incoming webhook',
  teams: 'Microsoft Teams workflow webhook',
  mattermost: 'Mattermost incoming webhook',
};

/** Slack's mrkdwn reserves &, < and > (links are <url|text>). */
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The JSON body for an incoming webhook: Slack Block Kit (a section with mrkdwn; `text` is the
 * notification fallback), Mattermost (Slack-compatible `text`), Teams workflow (an Adaptive Card
 * in a message attachment).
 */
export function chatPayload(flavor: ChatFlavor, text: string, link?: { url: string; label: string }): Record<string, unknown> {
  if (flavor === 'teams')
    return {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [{ type: 'TextBlock', text, wrap: true }],
            ...(link ? { actions: [{ type: 'Action.OpenUrl', title: link.label, url: link.url }] } : {}),
          },
        },
      ],
    };
  const body = slackEscape(text) + (link ? ` <${link.url}|${slackEscape(link.label)}>` : '');
  if (flavor === 'mattermost') return { text: body };
  return { text: body, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: body } }] };
}

/** Delay before attempt `n + 1` after `n` failed attempts: 30 s, 2 min, 10 min, 1 h, 6 h; then give up. */
export const CHAT_MAX_ATTEMPTS = 6;
export function chatBackoffMs(failedAttempts: number): number {
  return [30_000, 120_000, 600_000, 3_600_000, 21_600_000][Math.min(failedAttempts - 1, 4)];
}

/** What an admin sees of a webhook URL: its host and the last 4 characters (the rest is the secret). */
export function urlHint(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}/…${url.slice(-4)}`;
}
