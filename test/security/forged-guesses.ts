import { apiUser } from '../support/platform.js';

/**
 * For the forged-address suites: a user `name` with a channel and a password video, created through
 * the edge at `edgeUrl`, and a guess at its password sent with the `i`-th set of forged address
 * headers (a different CF-Connecting-IP, X-Forwarded-For, X-Real-IP and True-Client-IP each time).
 */
export async function passwordVideoAt(edgeUrl: string, name: string) {
  const owner = await apiUser(edgeUrl, name);
  const channel = await owner.call('POST', '/api/v1/channels', { handle: `${name}ch`, displayName: 'PW' });
  const created = await owner.call('POST', '/api/v1/videos', {
    channelId: channel.id,
    title: 'Locked',
    privacy: 'password',
    password: 'the right password',
  });
  const videoId = created.video.id as string;
  const guess = (password: string, i: number) => {
    const ip = `198.51.100.${i + 1}`;
    return fetch(`${edgeUrl}/api/v1/videos/${videoId}/playback`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'cf-connecting-ip': ip,
        'x-forwarded-for': `203.0.113.${i + 1}`,
        'x-real-ip': `192.0.2.${i + 1}`,
        'true-client-ip': ip,
      },
      body: JSON.stringify({ password }),
    });
  };
  return { videoId, guess };
}
