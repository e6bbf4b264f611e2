import { describe, expect, it } from 'vitest';
import { parseChannelUri } from './uri.js';

describe('parseChannelUri', () => {
  const hosts = ['vidra.example', 'localhost:8787'];

  it('reads a bare handle, with or without a leading @, as a channel of this instance', () => {
    expect(parseChannelUri('studio', hosts)).toEqual({ local: true, handle: 'studio' });
    expect(parseChannelUri(' @studio ', hosts)).toEqual({ local: true, handle: 'studio' });
  });

  it('reads handle@this-host as local, whatever the case of the host', () => {
    expect(parseChannelUri('studio@Vidra.Example', hosts)).toEqual({ local: true, handle: 'studio' });
    expect(parseChannelUri('studio@localhost:8787', hosts)).toEqual({ local: true, handle: 'studio' });
  });

  it('reads any other host as remote', () => {
    expect(parseChannelUri('lqdn_channel@video.lqdn.fr', hosts)).toEqual({
      local: false,
      handle: 'lqdn_channel',
      host: 'video.lqdn.fr',
    });
  });
});
