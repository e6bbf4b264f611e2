import { describe, expect, it } from 'vitest';
import { signIn, web } from '../../test/web-client.js';

/** The `<tr>` of one host on the page. */
function hostRow(page: string, host: string): string {
  const start = page.indexOf(`<tr id="host-${host}">`);
  return start < 0 ? '' : page.slice(start, page.indexOf('</tr>', start) + 5);
}

describe('the admins’ federation page', () => {
  it('shows queue depth and health per remote host to an admin', async () => {
    const owner = await signIn('owner'); // the first account of the instance: its admin
    const res = await web('/admin/federation', { headers: { cookie: owner } });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<a href="/admin/federation">Federation</a>');
    expect(page).toMatch(/<p role="status">1 delivery pending; follow answers queued: \d+ due,/);
    const down = hostRow(page, 'peer-down.example');
    expect(down).toContain('<span class="badge status-failing">Failing</span>');
    expect(down.match(/<td>([^<]*)<\/td>/g)).toEqual([
      '<td>1</td>', // pending
      '<td>1</td>', // retrying
      '<td>0</td>', // delivered
      '<td>0</td>', // failed
      '<td>0</td>', // gone
      '<td>HTTP 503</td>',
    ]);
    expect(hostRow(page, 'peer-fine.example')).toContain('<span class="badge status-ok">OK</span>');
    // The host with deliveries pending comes first.
    expect(page.indexOf('host-peer-down.example')).toBeLessThan(page.indexOf('host-peer-fine.example'));
  });

  it('refuses everyone else, and sends visitors to sign in', async () => {
    const other = await signIn('other');
    const refused = await web('/admin/federation', { headers: { cookie: other } });
    expect(refused.status).toBe(403);
    const page = await refused.text();
    expect(page).toContain('Only admins can see federation health');
    expect(page).not.toContain('<a href="/admin/federation">Federation</a>');
    const anonymous = await web('/admin/federation', { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/login?next=%2Fadmin%2Ffederation');
  });
});
