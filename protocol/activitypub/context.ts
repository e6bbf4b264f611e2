/**
 * The JSON-LD context of our Video and Note objects: ActivityStreams, the security vocabulary
 * and the PeerTube/schema.org terms PeerTube itself declares, so PeerTube and Mastodon read the
 * extension fields (`uuid`, `views`, `commentsEnabled`...) the same way they read PeerTube's.
 */
export const AP_CONTEXT = [
  'https://www.w3.org/ns/activitystreams',
  'https://w3id.org/security/v1',
  {
    RsaSignature2017: 'https://w3id.org/security#RsaSignature2017',
    pt: 'https://joinpeertube.org/ns#',
    sc: 'http://schema.org/',
    Hashtag: 'as:Hashtag',
    uuid: 'sc:identifier',
    views: { '@type': 'sc:Number', '@id': 'pt:views' },
    state: { '@type': 'sc:Number', '@id': 'pt:state' },
    size: { '@type': 'sc:Number', '@id': 'pt:size' },
    fps: { '@type': 'sc:Number', '@id': 'pt:fps' },
    commentsEnabled: { '@type': 'sc:Boolean', '@id': 'pt:commentsEnabled' },
    downloadEnabled: { '@type': 'sc:Boolean', '@id': 'pt:downloadEnabled' },
    waitTranscoding: { '@type': 'sc:Boolean', '@id': 'pt:waitTranscoding' },
    isLiveBroadcast: { '@type': 'sc:Boolean', '@id': 'pt:isLiveBroadcast' },
    sensitive: 'as:sensitive',
  },
] as const;
