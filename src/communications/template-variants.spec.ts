import { Env } from '../common/config/env.schema';
import { CANDIDATE_SLOTS } from '../pipeline/message-context';
import { MessageTemplate } from './message.entity';
import { TEMPLATES } from './template-registry';
import { TemplateService } from './template.service';

/**
 * variantRenderer (one render per opening and stage, the candidate's values substituted) must give
 * exactly what render() gives for each candidate, whatever the name: hostile names, whitespace the
 * subject and text normalisation would touch, and templates that use a slot in other ways.
 */
/** Every recipient's message from one renderer, as a sweep uses it. */
async function renderVariants(
  t: TemplateService,
  key: string,
  context: Record<string, unknown>,
  slots: readonly string[],
  values: ReadonlyArray<readonly string[]>,
  openingId?: string | null,
) {
  return values.map(await t.variantRenderer(key, context, slots, openingId));
}

describe('TemplateService.variantRenderer', () => {
  const service = (override: Partial<MessageTemplate> | null = null) =>
    new TemplateService({ findOne: async () => override } as never, { PUBLIC_URL: 'https://hire.example.com' } as unknown as Env);

  const hostile = [
    'Ada Lovelace',
    '<script>alert("x")</script>',
    "O'Brien & Sons",
    'Zoë "the <b>bold</b>" Ünal',
    'a=b `c` d',
    '&amp; &lt;already&gt; escaped',
    '{{candidate.name}} {{{x}}}',
    '$& $1 $$ $`',
    '  leading spaces',
    'trailing space ',
    'double  space',
    'new\nline',
    'tab\tname',
    'no\u00a0break',
    'private \uE000 0 \uE001 use',
    'control \u0000 0 \u0001 chars',
    '\u00001\u0001',
    '',
    '😀 李小龍 مريم',
    'x'.repeat(300),
  ];
  // Random names from a pool of awkward characters (seeded, so a failure reproduces).
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pool = ['a', 'Z', ' ', ' ', '<', '>', '&', '"', "'", '`', '=', '/', '\\', '\n', '{', '}', 'é', '😀', '\t', '$', '#', ';'];
  for (let i = 0; i < 400; i++) hostile.push(Array.from({ length: 1 + rand(12) }, () => pool[rand(pool.length)]).join(''));

  const values = (name: string, i: number) => [
    name,
    name.split(/\s+/)[0],
    `https://hire.example.com/privacy/0000000${i % 10}-0000-4000-8000-000000000000?t=ab_c-${i}==`,
  ];
  const contextFor = (sample: Record<string, unknown>, v: string[]) => ({
    ...sample,
    candidate: { name: v[0], firstName: v[1] },
    links: { ...(sample.links as object), privacy: v[2] },
  });

  const candidateTemplates = Object.entries(TEMPLATES).filter(([, d]) => d.audience === 'candidate');

  it.each(candidateTemplates.map(([key]) => key))('%s: each recipient gets exactly the full render', async (key) => {
    const t = service();
    const sample = TEMPLATES[key].sample;
    const vals = hostile.map(values);
    const got = await renderVariants(t, key, sample, CANDIDATE_SLOTS, vals, 'opening-1');
    expect(got).toHaveLength(vals.length);
    for (let i = 0; i < vals.length; i++) expect(got[i]).toEqual(await t.render(key, contextFor(sample, vals[i]), 'opening-1'));
  });

  it('the escaped name is in the html and the raw one in the text (the check-in)', async () => {
    const t = service();
    const [r] = await renderVariants(t, 'checkin', TEMPLATES.checkin.sample, CANDIDATE_SLOTS, [values('<script>&"x', 1)]);
    expect(r.html).toContain('Hi &lt;script&gt;&amp;&quot;x,');
    expect(r.html).not.toContain('<script>');
    expect(r.text).toContain('Hi <script>&"x,');
  });

  it('renders the template once (plus two probes) for names it can substitute, in full for the others', async () => {
    const t = service();
    const spy = jest.spyOn(t as unknown as { renderWith: () => unknown }, 'renderWith');
    const names = [...Array.from({ length: 100 }, (_x, i) => `<${i}>&"Ada' O'Brien`), 'double  space', 'new\nline'];
    const got = await renderVariants(t, 'checkin', TEMPLATES.checkin.sample, CANDIDATE_SLOTS, names.map(values));
    expect(spy).toHaveBeenCalledTimes(3 + 2);
    expect(got[5].html).toContain('Hi &lt;5&gt;&amp;&quot;Ada&#x27;,');
    expect(got[5].text).toContain(`Hi <5>&"Ada',`);
    expect(got[101].text).toContain('Hi new,');
  });

  const overrides: Array<[string, Partial<MessageTemplate>]> = [
    [
      'the name unescaped in the html',
      { subject: 'Hi {{candidate.name}}', html: '<p>{{{candidate.name}}}</p>', text: '{{candidate.name}}' },
    ],
    [
      'a condition on the name',
      { subject: 'x', html: '{{#if candidate.firstName}}<p>{{candidate.firstName}}</p>{{else}}none{{/if}}', text: 'y' },
    ],
    [
      'a loop over the name',
      { subject: 's', html: '{{#each candidate}}[{{this}}]{{/each}}', text: '{{#with candidate}}{{name}}{{/with}}' },
    ],
    [
      'a lookup through the link',
      { subject: '{{links.privacy.length}}', html: '<a href="{{links.privacy}}">x</a>', text: '{{links.privacy}}' },
    ],
    [
      'the name at both ends',
      { subject: '  {{candidate.name}}  ', html: '{{candidate.name}}', text: '\n\n{{candidate.name}}\n\n\n\n{{candidate.firstName}}  ' },
    ],
  ];
  it.each(overrides)('an override with %s renders as render() does', async (_what, o) => {
    const t = service({ key: 'checkin', ...o } as Partial<MessageTemplate>);
    const sample = TEMPLATES.checkin.sample;
    const vals = hostile.map(values);
    const got = await renderVariants(t, 'checkin', sample, CANDIDATE_SLOTS, vals, 'opening-2');
    for (let i = 0; i < vals.length; i++) expect(got[i]).toEqual(await t.render('checkin', contextFor(sample, vals[i]), 'opening-2'));
  });
});
