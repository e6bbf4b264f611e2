import { describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '../../protocol/errors.js';
import { edgeFetch, ORIGIN_ENV } from '../test/edge-client.js';
import { PLAYBACK_KEYS, REAL } from '../test/real-client.js';

// The fake origin answers every unknown path with a JSON echo of the request: valid JSON that
// breaks every contract, which is exactly what a misbehaving origin looks like to the edge.
const token = REAL.tokens.owner;

async function expectBadGateway(res: Response): Promise<void> {
  expect(res.status).toBe(502);
  expect(res.headers.get('cache-control')).toBe('no-store');
  const body = ErrorBodySchema.parse(await res.json());
  expect(body.error.code).toBe('bad_gateway');
  expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
}

describe('origin answers the edge cannot use', () => {
  it('a malformed JWKS is a 502 in the house error shape, not a 401 for a good token', async () => {
    await expectBadGateway(
      await edgeFetch(
        '/api/v1/users/me',
        { headers: { authorization: `Bearer ${token}` } },
        { ...ORIGIN_ENV },
      ),
    );
  });

  it('a malformed video access policy is a 502 in the house error shape', async () => {
    const env = { ...ORIGIN_ENV, INTERNAL_API_TOKEN: 'internal-token-for-the-fake-origin', PLAYBACK_KEYS };
    await expectBadGateway(
      await edgeFetch(
        '/api/v1/videos/0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90/playback',
        { method: 'POST' },
        env,
      ),
    );
  });
});
