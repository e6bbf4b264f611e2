/**
 * The baseline of bench/api: bare Hono on @hono/node-server with postgres.js, running exactly the
 * SQL that Vidra's origin ran for each request (recorded through drizzle's logger by run.ts) and
 * answering the rows as JSON. No validation, no auth, no logging, no serialisation layer: what
 * is left of a request when the framework costs nothing.
 *   node --import tsx bench/api/bare.ts <plan.json> <port>
 */
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import postgres from 'postgres';

interface Plan {
  databaseUrl: string;
  /** Request path (with query) -> the statements Vidra ran for it, in order. */
  routes: Record<string, { query: string; params: unknown[] }[]>;
}

const [planFile, port] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile as string, 'utf8')) as Plan;
const sql = postgres(plan.databaseUrl, { max: 10, onnotice: () => {} });
const app = new Hono();
app.get('*', async (c) => {
  const url = new URL(c.req.url);
  const statements = plan.routes[url.pathname + url.search];
  if (!statements) return c.json({ error: 'not in the plan' }, 404);
  let rows: unknown = [];
  for (const { query, params } of statements) rows = await sql.unsafe(query, params as never[]);
  return c.json(rows);
});
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(port) }, () => {
  console.log('bare ready');
});
