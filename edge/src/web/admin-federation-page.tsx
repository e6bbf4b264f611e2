import type { Context } from 'hono';
import {
  type FederationHealthMini,
  FederationHealthMiniSchema,
} from '../../../protocol/api/federation-mini.js';
import type { EdgeEnv } from '../context.js';
import { adminApiRefusal } from './admin-refusal.js';
import { callApi } from './api.js';
import { Layout, sendPage } from './layout.js';
import { getSession } from './session.js';

const PATH = '/admin/federation';
const STATUS_LABELS = { ok: 'OK', retrying: 'Retrying', failing: 'Failing' } as const;

function HostRow(props: { host: FederationHealthMini['hosts'][number] }) {
  const { host } = props;
  return (
    <tr id={`host-${host.host}`}>
      <th scope="row">{host.host}</th>
      <td>
        <span class={`badge status-${host.status}`}>{STATUS_LABELS[host.status]}</span>
      </td>
      <td>{host.pending}</td>
      <td>{host.retrying}</td>
      <td>{host.delivered}</td>
      <td>{host.failed}</td>
      <td>{host.gone}</td>
      <td>{host.lastError ?? ''}</td>
      <td>
        {host.oldestPendingAt ? <time datetime={host.oldestPendingAt}>{host.oldestPendingAt}</time> : ''}
      </td>
    </tr>
  );
}

/** `GET /admin/federation`: delivery queue depth and health per remote host (admins only). */
export async function adminFederationPage(c: Context<EdgeEnv>) {
  const session = await getSession(c);
  if (!session.viewer) return c.redirect(`/login?next=${encodeURIComponent(PATH)}`, 303);
  const res = await callApi(c, '/api/v1/admin/federation', FederationHealthMiniSchema, {
    token: session.token,
  });
  const refusal = { viewer: session.viewer, path: PATH, what: 'federation health', audience: 'admins' };
  if (!res.ok) return adminApiRefusal(c, res.status, refusal);
  const health = res.data;
  return sendPage(
    c,
    <Layout title="Federation" viewer={session.viewer} path={PATH}>
      <section aria-labelledby="federation-heading">
        <h1 id="federation-heading">Federation</h1>
        <p role="status">
          {health.pending} {health.pending === 1 ? 'delivery' : 'deliveries'} pending; follow answers queued:{' '}
          {health.queue.ready} due, {health.queue.delayed} waiting to retry.
        </p>
        {health.hosts.length === 0 ? (
          <p>No deliveries to other instances yet.</p>
        ) : (
          <table class="federation-hosts">
            <caption>Deliveries per remote host, the most pending first</caption>
            <thead>
              <tr>
                <th scope="col">Host</th>
                <th scope="col">Health</th>
                <th scope="col">Pending</th>
                <th scope="col">Retrying</th>
                <th scope="col">Delivered</th>
                <th scope="col">Failed</th>
                <th scope="col">Gone</th>
                <th scope="col">Last error</th>
                <th scope="col">Oldest pending</th>
              </tr>
            </thead>
            <tbody>
              {health.hosts.map((host) => (
                <HostRow host={host} />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>,
  );
}
