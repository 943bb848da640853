/**
 * Input fuzzing of every JSON endpoint, generated from the app's own OpenAPI document: for each
 * POST/PUT/PATCH under /api/v1 with an application/json requestBody, fast-check builds bodies from
 * the schema (test/support/hostile-arbitraries.ts: huge/unicode/control-char strings, NaN-like,
 * negative and huge numbers, wrong types, missing required and extra fields, nested arrays) and
 * sends them as an admin, with real ids in the path. Every answer must be below 500, and every
 * 4xx must have the error shape {statusCode, error, message, requestId}.
 *
 * Budget: 15 bodies per endpoint by default (well under a minute). For a longer run set
 *   FUZZ_RUNS=500 npx jest --selectProjects int -- test/int/fuzz
 * FUZZ_SEED=<n> replays a run (the seed is printed with any failure; default fixed), FUZZ_SEED=random
 * explores. A deterministic probe also puts edge numbers (1e-7, 5e-324, 1e21…) in every numeric field.
 */
import fc from 'fast-check';
import { Role } from '../../src/identity/user.entity';
import { createTestApp, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';
import { EDGE_NUMBERS, numericLeaves, SchemaArbitraries, stringLeaves } from '../support/hostile-arbitraries';
import { errorShapeProblem, Fixtures, fillPath, loadDoc, OpenApiDoc, Operation, operations, send } from '../support/hostile-openapi';

const RUNS = Number(process.env.FUZZ_RUNS) || 15;
/** Fixed by default so a red run replays; FUZZ_SEED=random for a fresh one each time. */
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED) || 20260101;

/** A body short enough to read in a failure message: long strings are summarized. */
function summarize(v: unknown): string {
  const s = JSON.stringify(v, (_, x) =>
    typeof x === 'string' && x.length > 120 ? `<${x.length} chars: ${JSON.stringify(x.slice(0, 20))}…>` : x,
  );
  return s === undefined ? String(v) : s.length > 1500 ? `${s.slice(0, 1500)}…` : s;
}

describe('fuzzing every JSON endpoint from its schema', () => {
  let t: TestApp;
  let w: World;
  let doc: OpenApiDoc;
  let targets: Operation[];
  let fixtures: Fixtures;

  beforeAll(async () => {
    suiteEnv();
    t = await createTestApp();
    w = await makeWorld(t);
    const opening = await makeOpening(t, w);
    const candidate = await makeCandidate(t, w);
    const application = await makeApplication(t, w, opening.id, candidate.id);
    fixtures = {
      openingId: opening.id,
      candidateId: candidate.id,
      applicationId: application.id,
      userId: w.manager.id,
      portalToken: 'no-such-portal-token',
    };
    doc = await loadDoc(t);
    targets = operations(doc).filter((op) => ['post', 'put', 'patch'].includes(op.method) && op.jsonBody);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds the JSON endpoints', () => {
    expect(targets.length).toBeGreaterThan(30);
  });

  it('answers malformed and non-object JSON bodies with 400 in the error shape, requestId included', async () => {
    const raws = ['null', '42', '"a string"', 'true', '[]', '[{"a":1}]', '{"a":', "{'a':1}", '\u0000', '{"a":1}{"b":2}', 'NaN'];
    const failures: string[] = [];
    const grouped: Record<string, string[]> = {};
    for (const op of targets) {
      for (const raw of raws) {
        const res = await send(t, op.method, fillPath(op.path, fixtures), auth(w.admin.token), undefined, raw);
        const where = `${op.method.toUpperCase()} ${op.path} raw body ${JSON.stringify(raw)}`;
        if (res.status >= 500) failures.push(`${res.status} on ${where} → ${res.text.slice(0, 200)}`);
        else if (res.status < 400)
          continue; // e.g. [] accepted by an endpoint with all-optional fields is not an error
        else {
          const shape = errorShapeProblem(res.status, res.body);
          // One root cause usually hits every route: group by problem, name the routes.
          if (shape)
            (grouped[`${res.status} ${shape} for raw body ${JSON.stringify(raw)} → ${res.text.slice(0, 160)}`] ??= []).push(
              `${op.method.toUpperCase()} ${op.path}`,
            );
        }
      }
    }
    for (const [problem, routes] of Object.entries(grouped))
      failures.push(`${problem} — on ${routes.length}/${targets.length} routes, e.g. ${routes.slice(0, 3).join(', ')}`);
    expect(failures).toEqual([]);
  });

  it('answers edge numbers in every numeric field below 500 (schema-driven probe)', async () => {
    const failures: string[] = [];
    let probes = 0;
    for (const op of targets) {
      const token = (op.path.includes('/auth/') ? await t.login([Role.Admin]) : w.admin).token;
      for (const leaf of numericLeaves(op.jsonBody, doc.components?.schemas ?? {})) {
        for (const n of EDGE_NUMBERS) {
          const body = leaf.build(n);
          const res = await send(t, op.method, fillPath(op.path, fixtures), auth(token), body);
          probes++;
          const where = `${op.method.toUpperCase()} ${op.path} field ${leaf.path}=${n} body=${JSON.stringify(body)}`;
          if (res.status >= 500) failures.push(`${res.status} on ${where} → ${res.text.slice(0, 200)}`);
          else {
            const shape = errorShapeProblem(res.status, res.body);
            if (shape) failures.push(`${res.status} ${shape} on ${where}`);
          }
        }
      }
    }
    expect(probes).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });

  it('answers a broken character (half of a UTF-16 surrogate pair) in every string field with a 400 naming that field', async () => {
    // JSON's \ud800 escape carries text no mail, jsonb column or validator can take (isEmail throws on it).
    const failures: string[] = [];
    let probes = 0;
    for (const op of targets) {
      const token = (op.path.includes('/auth/') ? await t.login([Role.Admin]) : w.admin).token;
      for (const leaf of stringLeaves(op.jsonBody, doc.components?.schemas ?? {})) {
        const body = leaf.build('ok \ud800');
        const res = await send(t, op.method, fillPath(op.path, fixtures), auth(token), body);
        probes++;
        const field = leaf.path.replace(/\[\]/g, '.0');
        if (
          res.status !== 400 ||
          res.body?.message !==
            `Invalid fields: ${field} (must be text without broken characters (it holds half of a UTF-16 surrogate pair))`
        )
          failures.push(`${res.status} on ${op.method.toUpperCase()} ${op.path} field ${field} → ${res.text.slice(0, 200)}`);
      }
    }
    expect(probes).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });

  it(`answers every generated body below 500, in the one error shape (${RUNS} runs per endpoint)`, async () => {
    const arbs = new SchemaArbitraries(doc.components?.schemas ?? {});
    const failures: string[] = [];
    const statuses: Record<string, number> = {};
    let i = 0;
    for (const op of targets) {
      const bodies = fc.sample(arbs.body(op.jsonBody), { numRuns: RUNS, seed: SEED + i++ });
      // Logging in as someone else would not hurt, but keep the admin's own session intact.
      const token = (op.path.includes('/auth/') ? await t.login([Role.Admin]) : w.admin).token;
      for (const body of bodies) {
        const url = fillPath(op.path, fixtures);
        const res = await send(
          t,
          op.method,
          url,
          { ...auth(token), 'x-forwarded-for': `198.18.${i % 250}.${(statuses.n = (statuses.n ?? 0) + 1) % 250}` },
          body,
        );
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        const where = `${op.method.toUpperCase()} ${op.path} (${url}) body=${summarize(body)}`;
        if (res.status >= 500) failures.push(`${res.status} on ${where} → ${res.text.slice(0, 300)}`);
        else {
          const shape = errorShapeProblem(res.status, res.body);
          if (shape) failures.push(`${res.status} ${shape} on ${where} → ${res.text.slice(0, 300)}`);
        }
      }
    }
    if (failures.length) failures.unshift(`FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`);
    expect(failures).toEqual([]);
    // Not vacuous: some bodies got through validation, some were refused.
    expect(Object.keys(statuses).some((s) => s.startsWith('2'))).toBe(true);
    expect(statuses['400']).toBeGreaterThan(0);
  });
});
