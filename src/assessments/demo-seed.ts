import { INestApplicationContext, Logger } from '@nestjs/common';
import { gzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import * as tarStream from 'tar-stream';
import { AssignmentsService } from './assignments.service';
import { InvitationsService } from './invitations.service';

/** A small node take-home (the same exercise as test/fixtures/assignments/node-wordfreq). */
const INSTRUCTIONS = `# Word frequencies

Write \`topWords(text, n)\` in \`src/wordfreq.js\`. It returns the \`n\` most frequent words of \`text\`
as \`[word, count]\` pairs, most frequent first.

- Words are case-insensitive and returned in lower case.
- A word is a run of letters, digits or apostrophes; everything else separates words.
- Ties are ordered alphabetically.

Write the code as you would at work, with tests. Plan on **about two hours**; stop at three.
`;
const HIDDEN = {
  'hidden/wordfreq.hidden.test.js': `import { topWords } from '../src/wordfreq';

describe('topWords', () => {
  test('counts words regardless of case', () => expect(topWords('The cat and the hat', 1)).toEqual([['the', 2]]));
  test('treats punctuation as a separator', () => expect(topWords('stop.stop,go!go?go', 2)).toEqual([['go', 3], ['stop', 2]]));
  test('orders ties alphabetically', () => expect(topWords('quokka zebra zebra quokka ant', 3)).toEqual([['quokka', 2], ['zebra', 2], ['ant', 1]]));
  test('returns an empty list for empty text', () => expect(topWords('', 5)).toEqual([]));
});
`,
};
const STARTER = {
  'README.md':
    '# Word frequencies: starter\n\nImplement `src/wordfreq.js` and add your own tests next to it (`*.test.js`, Jest).\nZip the folder (without node_modules) and upload it on your take-home page.\n',
  'src/wordfreq.js': "export function topWords(text, n) {\n  throw new Error('not implemented yet');\n}\n",
  'src/wordfreq.test.js':
    "import { topWords } from './wordfreq';\n\ntest('finds the most frequent word', () => {\n  expect(topWords('a b a', 1)).toEqual([['a', 2]]);\n});\n",
};
const REFERENCE = {
  'README.md': '# Reference solution\n',
  'src/wordfreq.js': `export function topWords(text, n) {
  const counts = new Map();
  for (const word of text.toLowerCase().match(/[\\p{L}\\p{N}']+/gu) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, n);
}
`,
};

async function tarGz(files: Record<string, string>): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const [name, text] of Object.entries(files)) pack.entry({ name, mode: 0o644 }, Buffer.from(text, 'utf8'));
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

/**
 * Demo take-home: an assignment with one version, published when the sandbox is available (the
 * reference solution must pass, as always), and an invitation for the demo candidate waiting in
 * the take-home stage. Without Docker the version stays a draft.
 */
export async function seedAssessmentsDemo(app: INestApplicationContext, users: Record<string, string>): Promise<void> {
  const logger = new Logger('DemoSeed');
  const assignments = app.get(AssignmentsService);
  const engineer = { kind: 'user' as const, id: users['engineer@demo.local'] };
  const assignment = await assignments.create(
    { title: 'Word frequencies', runtime: 'node', instructions: INSTRUCTIONS, timeGuidanceMinutes: 120 },
    engineer,
  );
  const version = await assignments.createVersion(
    assignment.id,
    {
      hiddenTests: { buffer: await tarGz(HIDDEN) },
      starter: { buffer: await tarGz(STARTER) },
      referenceSolution: { buffer: await tarGz(REFERENCE) },
    },
    engineer,
  );
  try {
    await assignments.publish(assignment.id, version.version, engineer);
  } catch (e) {
    logger.warn(`demo assignment left as a draft (publish needs the sandbox images: cli sandbox:build): ${(e as Error).message}`);
    return;
  }
  const rows: Array<{ id: string }> = await app
    .get(DataSource)
    .query(
      `SELECT a.id FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE lower(c.email) = 'grace@example.com' AND a.stage = 'take_home' AND a.status = 'active' LIMIT 1`,
    );
  if (rows[0]) await app.get(InvitationsService).invite(rows[0].id, assignment.id, { kind: 'user', id: users['recruiter@demo.local'] });
}
