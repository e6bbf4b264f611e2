import { sql } from 'drizzle-orm';
import type { Database } from '../../../../db/client.js';
import { proxiedMediaPath } from '../../../../protocol/federation/media-proxy.js';
import { rowsOf } from '../notifications/deliver.js';

/**
 * Whether `host` is a federated peer of ours: one of its actors follows a local actor (and was not
 * found gone), or an activity from it passed our inbox checks.
 */
export async function isKnownPeer(db: Database, host: string): Promise<boolean> {
  const pattern = `%://${host.toLowerCase()}/%`;
  const rows = rowsOf(
    await db.execute(sql`select 1 from federation_followers
      where lower(follower_id) like ${pattern} and gone_at is null
      union all select 1 from federation_inbound where lower(actor) like ${pattern} limit 1`),
  );
  return rows.length > 0;
}

/**
 * The URL viewers should load a remote thumbnail or playlist from. Without the media proxy, the
 * peer's own URL; with it, the edge's signed proxy path for a known peer's media, and nothing
 * (undefined) for any other host, so a viewer is never sent to a third party.
 */
export async function mediaUrlForViewers(
  db: Database,
  proxySecret: string | undefined,
  url: string,
  /** Answers already had, by host: a video's playlist and thumbnail nearly always share one. */
  known: Map<string, Promise<boolean>> = new Map(),
): Promise<string | undefined> {
  if (!proxySecret) return url;
  let host: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    host = parsed.host;
  } catch {
    return undefined;
  }
  let peer = known.get(host);
  if (!peer) {
    peer = isKnownPeer(db, host);
    known.set(host, peer);
  }
  if (!(await peer)) return undefined;
  return proxiedMediaPath(proxySecret, url);
}
