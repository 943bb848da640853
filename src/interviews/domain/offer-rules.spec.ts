import { checkOffer, OfferInput } from './offer-rules';

const range = { min: 80_000, max: 100_000, currency: 'EUR' };

const cases: Array<[string, OfferInput, { ok: boolean; rule?: string; overridden?: boolean; message?: RegExp }]> = [
  ['inside the range', { amount: 90_000, currency: 'EUR', range }, { ok: true, overridden: false }],
  ['exactly the minimum', { amount: 80_000, currency: 'EUR', range }, { ok: true, overridden: false }],
  ['exactly the maximum', { amount: 100_000, currency: 'eur', range }, { ok: true, overridden: false }],
  [
    'below the range',
    { amount: 79_999, currency: 'EUR', range },
    { ok: false, rule: 'below_range', message: /below the opening's range \(80,000 EUR–100,000 EUR\).*fair offer/ },
  ],
  [
    'above the range',
    { amount: 100_001, currency: 'EUR', range },
    { ok: false, rule: 'above_range', message: /above the opening's range/ },
  ],
  [
    'currency mismatch',
    { amount: 90_000, currency: 'USD', range },
    { ok: false, rule: 'currency_mismatch', message: /in USD but the opening's range is in EUR/ },
  ],
  [
    'currency mismatch is not overridable',
    { amount: 90_000, currency: 'USD', range, override: { byAdmin: true, reason: 'exchange rate' } },
    { ok: false, rule: 'currency_mismatch' },
  ],
  [
    'override by a non-admin',
    { amount: 120_000, currency: 'EUR', range, override: { byAdmin: false, reason: 'competing offer' } },
    { ok: false, rule: 'override_not_admin', message: /Only an administrator/ },
  ],
  [
    'override without a reason',
    { amount: 120_000, currency: 'EUR', range, override: { byAdmin: true, reason: '   ' } },
    { ok: false, rule: 'override_without_reason', message: /written reason/ },
  ],
  [
    'admin override with a reason, above',
    { amount: 120_000, currency: 'EUR', range, override: { byAdmin: true, reason: 'Competing offer' } },
    { ok: true, overridden: true },
  ],
  [
    'admin override with a reason, below',
    { amount: 70_000, currency: 'EUR', range, override: { byAdmin: true, reason: 'Part-time (80%)' } },
    { ok: true, overridden: true },
  ],
  [
    'an unused override inside the range',
    { amount: 90_000, currency: 'EUR', range, override: { byAdmin: false } },
    { ok: true, overridden: false },
  ],
  ['zero amount', { amount: 0, currency: 'EUR', range }, { ok: false, rule: 'invalid_amount' }],
  ['NaN amount', { amount: Number.NaN, currency: 'EUR', range }, { ok: false, rule: 'invalid_amount' }],
  [
    'inverted range',
    { amount: 90_000, currency: 'EUR', range: { min: 100_000, max: 80_000, currency: 'EUR' } },
    { ok: false, rule: 'invalid_range' },
  ],
];

describe('checkOffer', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    const res = checkOffer(input);
    expect(res.ok).toBe(expected.ok);
    if (res.ok) {
      expect(res.overridden).toBe(expected.overridden);
      if (res.overridden) expect(res.overrideReason).toBe(input.override!.reason!.trim());
    } else {
      expect(res.rule).toBe(expected.rule);
      if (expected.message) expect(res.message).toMatch(expected.message);
    }
  });

  it('records which side of the range an override covered', () => {
    expect(checkOffer({ amount: 70_000, currency: 'EUR', range, override: { byAdmin: true, reason: 'part-time' } })).toEqual({
      ok: true,
      overridden: true,
      outside: 'below_range',
      overrideReason: 'part-time',
    });
  });
});
