import { z } from 'zod';

/**
 * Careers page settings, read from the environment once and validated like the main schema.
 * The page is themed with the company's name, logo (a local PNG, JPEG or SVG file served from
 * /careers/logo, so the strict CSP holds) and colour.
 */
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const careersSchema = z.object({
  COMPANY_NAME: z.string().trim().min(1).max(100).default('Our company'),
  COMPANY_LOGO_FILE: z
    .string()
    .regex(/\.(png|jpe?g|svg)$/i, 'must be a .png, .jpg or .svg file path')
    .optional(),
  COMPANY_COLOR: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #2451b7')
    .default('#2451b7'),
  /** Company web site, linked from the careers header (optional). */
  COMPANY_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//, 'must start with http:// or https://')
    .optional(),
  /** Applications (and attempts) accepted per IP address per hour on the public form. */
  CAREERS_APPLY_PER_HOUR: int(1, 100_000).default(20),
});
export type CareersConfig = z.infer<typeof careersSchema>;

export function parseCareersConfig(source: NodeJS.ProcessEnv): CareersConfig {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([k, v]) => k in careersSchema.shape && v !== undefined && v !== ''));
  const r = careersSchema.safeParse(cleaned);
  if (!r.success)
    throw new Error('Invalid configuration:\n' + r.error.issues.map((i) => `  - ${String(i.path[0])}: ${i.message}`).join('\n'));
  return r.data;
}

export const CAREERS_CONFIG = Symbol('CAREERS_CONFIG');
