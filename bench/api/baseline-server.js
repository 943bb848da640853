#!/usr/bin/env node
/**
 * The raw baseline for bench/api: the floor a Node server reaches on this machine for the same
 * read, with no framework. `node:http` + `pg`, as many cluster workers as the API runs, answering
 * GET /api/v1/applications/:id with the same work the API does on its hot path:
 *   - the bearer token hashed (SHA-256) and resolved with the API's own query (token joined to its
 *     user), the result reused for AUTH_CACHE_SECONDS as the API does;
 *   - the same application SELECT, serialised to the same JSON fields.
 * Started by bench/api/run.js; not part of the product.
 *
 *   DATABASE_URL=… PORT=… [API_WORKERS=n] [AUTH_CACHE_SECONDS=5] node bench/api/baseline-server.js
 */
'use strict';
const cluster = require('node:cluster');
const http = require('node:http');
const os = require('node:os');
const { createHash } = require('node:crypto');
const { Pool } = require('pg');

const WORKERS = Number(process.env.API_WORKERS || os.availableParallelism());
const PORT = Number(process.env.PORT);
const CACHE_MS = Number(process.env.AUTH_CACHE_SECONDS ?? 5) * 1000;

if (cluster.isPrimary && WORKERS > 1) {
  for (let i = 0; i < WORKERS; i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers)) w.kill('SIGTERM');
    process.exit(0);
  });
} else {
  // A normal exit on SIGTERM, so `--cpu-prof` (bench/api/run.js --cpu-prof) writes its profile.
  if (WORKERS === 1) process.on('SIGTERM', () => process.exit(0));
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const cache = new Map();
  const uuid = /^\/api\/v1\/applications\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
  const send = (res, status, body) => {
    const s = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(s) });
    res.end(s);
  };
  async function principal(req) {
    const m = /^Bearer (.{1,200})$/.exec(req.headers.authorization ?? '');
    if (!m) return null;
    const hash = createHash('sha256').update(m[1]).digest('hex');
    const hit = cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.user;
    const { rows } = await pool.query(
      `SELECT t.id, t.kind, t.expires_at, t.revoked_at, u.id AS user_id, u.email, u.name, u.roles, u.timezone, u.disabled_at
         FROM auth_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1`,
      [hash],
    );
    const r = rows[0];
    if (!r || r.revoked_at || r.disabled_at || new Date(r.expires_at).getTime() <= Date.now()) return null;
    const user = { id: r.user_id, roles: r.roles };
    cache.set(hash, { user, until: Date.now() + CACHE_MS });
    return user;
  }
  http
    .createServer(async (req, res) => {
      try {
        const m = req.method === 'GET' && uuid.exec(req.url);
        if (!m) return send(res, 404, { statusCode: 404, error: 'Not Found' });
        const who = await principal(req);
        if (!who) return send(res, 401, { statusCode: 401, error: 'Unauthorized' });
        const { rows } = await pool.query(
          `SELECT id, candidate_id AS "candidateId", opening_id AS "openingId", stage, status, stage_entered_at AS "stageEnteredAt",
                  stage_visit AS "stageVisit", last_contact_at AS "lastContactAt", closed_at AS "closedAt", version,
                  created_at AS "createdAt", updated_at AS "updatedAt"
             FROM applications WHERE id = $1`,
          [m[1]],
        );
        if (!rows.length) return send(res, 404, { statusCode: 404, error: 'Not Found' });
        const a = rows[0];
        send(res, 200, {
          id: a.id,
          candidateId: a.candidateId,
          openingId: a.openingId,
          stage: a.stage,
          status: a.status,
          stageEnteredAt: a.stageEnteredAt,
          lastContactAt: a.lastContactAt,
          closedAt: a.closedAt,
          createdAt: a.createdAt,
          version: a.version,
        });
      } catch (e) {
        send(res, 500, { statusCode: 500, error: String(e.message) });
      }
    })
    .listen(PORT, '127.0.0.1');
}
