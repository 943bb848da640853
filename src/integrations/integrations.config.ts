import { z } from 'zod';

/**
 * Settings of the integrations and data-protection modules, read from the environment once and
 * validated like the main schema (a bad value stops the process with the variable's name).
 */
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const integrationsSchema = z.object({
  /** Allow webhook endpoints on loopback/private addresses (also settable by an admin at run time). */
  WEBHOOKS_ALLOW_PRIVATE: bool.default('false'),
  /** How often the worker looks for due webhook deliveries. */
  WEBHOOKS_POLL_MS: int(100, 60_000).default(2000),
  /** First retry delay; doubles per attempt up to WEBHOOKS_RETRY_MAX_MS. */
  WEBHOOKS_RETRY_BASE_MS: int(50, 3_600_000).default(30_000),
  WEBHOOKS_RETRY_MAX_MS: int(1000, 24 * 3_600_000).default(3_600_000),
  /** Retries stop (the delivery is marked failed) this long after the delivery was created. */
  WEBHOOKS_RETRY_WINDOW_HOURS: int(1, 168).default(24),
  WEBHOOKS_TIMEOUT_MS: int(500, 60_000).default(10_000),
  /** Default retention after a candidate's last application closed (an admin setting overrides it). */
  RETENTION_MONTHS: int(1, 240).default(24),
});
export type IntegrationsConfig = z.infer<typeof integrationsSchema>;

export function parseIntegrationsConfig(source: NodeJS.ProcessEnv): IntegrationsConfig {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([k, v]) => k in integrationsSchema.shape && v !== undefined && v !== ''),
  );
  const r = integrationsSchema.safeParse(cleaned);
  if (!r.success) {
    throw new Error('Invalid configuration:\n' + r.error.issues.map((i) => `  - ${String(i.path[0])}: ${i.message}`).join('\n'));
  }
  return r.data;
}

export const INTEGRATIONS_CONFIG = Symbol('INTEGRATIONS_CONFIG');
