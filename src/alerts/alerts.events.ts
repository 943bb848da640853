/* The alerts module's events (see src/common/events/event-bus.ts). */
declare module '../common/events/event-bus' {
  interface AppEvents {
    /**
     * A hiring manager's daily stale digest, for the chat webhooks they route it to (their own
     * Slack and/or Teams). The inbox, which owns chat_deliveries and their poller, queues one
     * delivery per flavor, once per `dedupeKey` (one key per manager and local day).
     */
    'alerts.digest-composed': { userId: string; flavors: Array<'slack' | 'teams'>; dedupeKey: string; text: string; at: Date };
  }
}

export {};
