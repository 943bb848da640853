import { parse } from 'csv-parse/sync';
import { createTestApp, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';

/**
 * Express matches routes one at a time in the order they were registered, so the order of the
 * modules decides which handler answers a path two routes could both match. The hottest read
 * (`GET /api/v1/applications/:id`) is registered early (issue 25: each route ahead of it costs
 * every read a match), and the CSV export (`GET /api/v1/applications/export.csv`) must stay ahead
 * of it, or `:id` would take `export.csv` and answer a 400.
 */
describe('route order: every route reachable, the export and the hot read both answer', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined });
    t = await createTestApp();
    w = await makeWorld(t);
  });
  afterAll(async () => t?.close());

  /** A concrete path a route pattern matches: each `:param` and `*wildcard` filled, optional groups kept. */
  const sample = (pattern: string) =>
    pattern
      .replace(/\{\*(\w+)\}/g, 'w1/w2')
      .replace(/\*(\w+)/g, 'w1/w2')
      .replace(/:(\w+)/g, 'p$1')
      .replace(/[{}]/g, '');

  it('no route is shadowed by one registered before it for the same method', () => {
    const express = t.app.getHttpAdapter().getInstance();
    const stack: any[] = (express.router ?? express._router).stack;
    // Swagger's viewer (SwaggerModule's own routes, `/api/docs` and `/api/docs/` alike) is not ours.
    const routes = stack.filter((layer) => layer.route && !layer.route.path.startsWith('/api/docs'));
    expect(routes.length).toBeGreaterThan(100);
    const shadowed: string[] = [];
    routes.forEach((later, j) => {
      const path = sample(later.route.path);
      for (const method of Object.keys(later.route.methods).filter((m) => m !== '_all')) {
        for (const earlier of routes.slice(0, j)) {
          if (earlier.route._handlesMethod(method) && earlier.match(path))
            shadowed.push(`${method.toUpperCase()} ${later.route.path} (taken by ${earlier.route.path})`);
        }
      }
    });
    expect(shadowed).toEqual([]);
  });

  it('the CSV export answers its CSV, and the application read its JSON', async () => {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name: 'Ines Export' });
    const app = await makeApplication(t, w, opening.id, c.id);

    const csv = await t.http.get(`/api/v1/applications/export.csv?openingId=${opening.id}`).set(auth(w.recruiter.token));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="applications-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows: Array<Record<string, string>> = parse(csv.text, { columns: true });
    expect(rows).toEqual([expect.objectContaining({ Name: 'Ines Export', Opening: opening.title })]);

    const read = await t.http.get(`/api/v1/applications/${app.id}`).set(auth(w.recruiter.token));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: app.id, candidateId: c.id, openingId: opening.id });

    // The collection's other literal path beside :id answers as itself too (its body's fields named).
    const bulk = await t.http.post('/api/v1/applications/bulk').set(auth(w.recruiter.token)).send({});
    expect(bulk.status).toBe(400);
    expect(bulk.body.message).toMatch(/^Invalid fields: ids .*action/);
  });
});
