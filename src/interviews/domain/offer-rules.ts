/**
 * Offer checks against the opening's compensation range. An offer outside the range needs an
 * administrator's override with a written reason; a currency mismatch is never overridable.
 */

export interface CompensationRange {
  min: number;
  max: number;
  currency: string;
}

export interface OfferOverride {
  byAdmin: boolean;
  reason?: string | null;
}

export interface OfferInput {
  amount: number;
  currency: string;
  range: CompensationRange;
  override?: OfferOverride | null;
}

export type OfferRule =
  | 'invalid_amount'
  | 'invalid_range'
  | 'currency_mismatch'
  | 'below_range'
  | 'above_range'
  | 'override_not_admin'
  | 'override_without_reason';

export type OfferCheck =
  | {
      ok: true;
      /** True when the amount is outside the range and an admin's override with a reason allowed it. */
      overridden: boolean;
      /** Which side of the range an override covered, for the audit log. */
      outside?: 'below_range' | 'above_range';
      overrideReason?: string;
    }
  | { ok: false; rule: OfferRule; message: string };

function normCurrency(c: string): string {
  return c.trim().toUpperCase();
}

function money(amount: number, currency: string): string {
  return `${amount.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${currency}`;
}

export function checkOffer(input: OfferInput): OfferCheck {
  const { amount, range, override } = input;
  const currency = normCurrency(input.currency);
  const rangeCurrency = normCurrency(range.currency);
  if (!Number.isFinite(amount) || amount <= 0) {
    return { ok: false, rule: 'invalid_amount', message: 'The offer amount must be a positive number.' };
  }
  if (!Number.isFinite(range.min) || !Number.isFinite(range.max) || range.min < 0 || range.min > range.max) {
    return {
      ok: false,
      rule: 'invalid_range',
      message: `The opening's compensation range (${range.min}–${range.max}) is not a valid range.`,
    };
  }
  if (!/^[A-Z]{3}$/.test(currency) || currency !== rangeCurrency) {
    return {
      ok: false,
      rule: 'currency_mismatch',
      message: `The offer is in ${currency || 'no currency'} but the opening's range is in ${rangeCurrency}; make the offer in ${rangeCurrency}.`,
    };
  }
  const outside: 'below_range' | 'above_range' | null = amount < range.min ? 'below_range' : amount > range.max ? 'above_range' : null;
  if (outside === null) return { ok: true, overridden: false };

  const rangeText = `${money(range.min, rangeCurrency)}–${money(range.max, rangeCurrency)}`;
  const refusal: { rule: OfferRule; message: string } =
    outside === 'below_range'
      ? {
          rule: 'below_range',
          message:
            `${money(amount, currency)} is below the opening's range (${rangeText}). Make a fair offer: ` +
            'a lowball at this point tells the candidate they are not really valued. ' +
            'An administrator can override with a written reason.',
        }
      : {
          rule: 'above_range',
          message: `${money(amount, currency)} is above the opening's range (${rangeText}). An administrator can override with a written reason.`,
        };
  if (!override) return { ok: false, ...refusal };
  if (!override.byAdmin) {
    return {
      ok: false,
      rule: 'override_not_admin',
      message: `Only an administrator can approve an offer outside the range (${refusal.rule.replace('_', ' ')}: ${rangeText}).`,
    };
  }
  const reason = (override.reason ?? '').trim();
  if (reason === '') {
    return {
      ok: false,
      rule: 'override_without_reason',
      message: `An override of the range (${rangeText}) needs a written reason.`,
    };
  }
  return { ok: true, overridden: true, outside, overrideReason: reason };
}
