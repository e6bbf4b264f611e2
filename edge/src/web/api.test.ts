import { describe, expect, it } from 'vitest';
import { ORIGIN_ENV } from '../../test/edge-client.js';
import { BASE, web } from '../../test/web-client.js';

// The fake origin answers every API path with a 200 JSON echo of the request: valid JSON that is
// no video, channel, page or session, which is what an origin breaking its contract looks like.
const VIDEO_ID = '0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90';

async function errorPage(res: Response): Promise<string> {
  expect(res.status).toBe(502);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  const page = await res.text();
  // Nothing of the echo (its method, the path it saw) leaks into the page.
  expect(page).not.toContain('/api/v1/');
  expect(page).not.toContain('undefined');
  return page;
}

describe('pages in front of an origin that breaks the contract', () => {
  it('a malformed video is the watch page error state, a 502, not a crash', async () => {
    const page = await errorPage(await web(`/w/${VIDEO_ID}`, {}, ORIGIN_ENV));
    expect(page).toContain('This video cannot be shown right now');
  });

  it('a malformed page of videos is the home error state', async () => {
    const page = await errorPage(await web('/', {}, ORIGIN_ENV));
    expect(page).toContain('Vidra could not load this page');
  });

  it('a malformed channel is the channel error state', async () => {
    const page = await errorPage(await web('/c/studio', {}, ORIGIN_ENV));
    expect(page).toContain('Vidra could not load this page');
  });

  it('a malformed session is a sign-in form error, and no cookie is set', async () => {
    const res = await web(
      '/login',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE },
        body: new URLSearchParams({ email: 'me@example.com', password: 'a long password' }).toString(),
      },
      ORIGIN_ENV,
    );
    const page = await errorPage(res);
    expect(page).toContain('<p class="form-error" role="alert">The API answered a malformed body</p>');
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});
