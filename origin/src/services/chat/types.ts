import type { ServerFrame } from '../../../../protocol/chat.js';
import type { Viewer } from '../../auth/access-tokens.js';

/** One socket in a room, as the hub sees it: transport-free, so tests and the route share it. */
export interface ChatClient {
  viewer: Viewer | undefined;
  /** What the viewer gave to see a password video, kept to check access again later. */
  password: string | undefined;
  ip: string;
  /** Set at join: owner, admin, or a moderator the owner named. */
  canModerate: boolean;
  /** Signed in and not suspended. */
  canPost: boolean;
  send(frame: ServerFrame): void;
  close(code: number, reason: string): void;
}

/** What the rest of the origin sees of its chat rooms (`ChatHub`); kept here so `context.ts` imports no service. */
export interface ChatRooms {
  /** Add a client whose access was checked; resolves (history sent) with its leave function. */
  join(videoId: string, client: ChatClient): Promise<() => void>;
  /** One text frame from a client. */
  receive(videoId: string, client: ChatClient, data: string): Promise<void>;
  /** Tell every origin to check the viewers of these videos again. */
  accessChanged(videoIds: readonly string[]): Promise<void>;
  readonly roomCount: number;
  close(): Promise<void>;
}
