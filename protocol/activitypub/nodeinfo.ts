import { AP_PATHS, absolute } from './paths.js';

export const NODEINFO_PATH = '/nodeinfo/2.0';
const NODEINFO_SCHEMA = 'http://nodeinfo.diaspora.software/ns/schema/2.0';
/** FEP-2677: where PeerTube (and others) find an instance's Application actor. */
const APPLICATION_REL = 'https://www.w3.org/ns/activitystreams#Application';

/** `/.well-known/nodeinfo`: the NodeInfo 2.0 document and the instance actor. */
export function nodeInfoLinks(baseUrl: string) {
  return {
    links: [
      { rel: NODEINFO_SCHEMA, href: absolute(baseUrl, NODEINFO_PATH) },
      { rel: APPLICATION_REL, href: absolute(baseUrl, AP_PATHS.instance()) },
    ],
  };
}

export interface NodeInfoCounts {
  users: number;
  localVideos: number;
  localComments: number;
}

/** The NodeInfo 2.0 document (schema 2.0: `activitypub` protocol, usage counts). */
export function nodeInfo(version: string, counts: NodeInfoCounts, openRegistrations: boolean) {
  return {
    version: '2.0',
    software: { name: 'vidra', version },
    protocols: ['activitypub'],
    services: { inbound: [], outbound: [] },
    openRegistrations,
    usage: { users: { total: counts.users }, localPosts: counts.localVideos + counts.localComments },
    metadata: { nodeName: 'Vidra', localVideos: counts.localVideos },
  };
}
