import type { ChatBusEvent } from '../../../../protocol/chat.js';

/** Receives the events of a room, from this origin or any other. */
export type RoomListener = (event: ChatBusEvent) => void;

/**
 * How the origins of one server share their rooms: every event published for a room reaches the
 * listeners of that room on every origin, the publisher's own included. `RedisChatBus` spans
 * origins (one Redis Stream per room); `MemoryChatBus` is the embedded mode's single process.
 */
export interface ChatBus {
  /** Resolves once the event is on its way to every origin; rejects when the bus is unreachable. */
  publish(videoId: string, event: ChatBusEvent): Promise<void>;
  /** Start receiving the room's events published from now on. Returns the unsubscribe. */
  join(videoId: string, listener: RoomListener): () => void;
  close(): Promise<void>;
}

/** In-process fan-out, for the embedded mode (no REDIS_URL): one origin, so one process. */
export class MemoryChatBus implements ChatBus {
  readonly #rooms = new Map<string, Set<RoomListener>>();

  async publish(videoId: string, event: ChatBusEvent): Promise<void> {
    for (const listener of this.#rooms.get(videoId) ?? []) listener(event);
  }

  join(videoId: string, listener: RoomListener): () => void {
    const listeners = this.#rooms.get(videoId) ?? new Set<RoomListener>();
    this.#rooms.set(videoId, listeners);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#rooms.delete(videoId);
    };
  }

  async close(): Promise<void> {
    this.#rooms.clear();
  }
}
