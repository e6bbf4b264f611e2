import { CHAT_LIMITS } from '../../../protocol/chat-limits.js';

/**
 * The live chat panel (issue 11), filled in by `/static/chat.js`: on a live it joins the room's
 * WebSocket (history on join, new messages, moderation actions for those allowed); on a replay
 * it shows the room's messages as the playback reaches their offsets. A `role="log"` list, so
 * screen readers announce new messages; every control is a real button or form field.
 */
export function ChatPanel(props: { videoId: string; mode: 'live' | 'replay' }) {
  const live = props.mode === 'live';
  return (
    // A replay's panel shows only once chat.js found messages (most videos were never live).
    <section
      class="chat"
      aria-labelledby="chat-heading"
      data-chat-video={props.videoId}
      data-chat-mode={props.mode}
      hidden={!live}
    >
      <h2 id="chat-heading">{live ? 'Live chat' : 'Chat replay'}</h2>
      <p class="chat-status" role="status" aria-live="polite" />
      <div class="chat-scroll">
        <ol class="chat-log" role="log" aria-label="Chat messages" tabindex={0} />
        <button type="button" class="chat-new" hidden>
          New messages
        </button>
      </div>
      {live ? (
        <form class="chat-form" hidden>
          <label for="chat-input">Send a message</label>
          <div class="chat-row">
            <input
              id="chat-input"
              name="text"
              maxlength={CHAT_LIMITS.maxTextLength}
              autocomplete="off"
              required
            />
            <button type="submit">Send</button>
          </div>
          <p class="chat-mod" hidden>
            <button type="button" class="chat-slow">
              Slow mode: off
            </button>
          </p>
        </form>
      ) : null}
      <noscript>
        <p>The chat needs JavaScript.</p>
      </noscript>
    </section>
  );
}
