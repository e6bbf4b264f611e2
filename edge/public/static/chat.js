// Live chat panel (issue 11; frames in protocol/chat.ts). On a live: one WebSocket to the room,
// reconnecting with backoff, resending unacknowledged messages under the same clientMsgId. On a
// replay: the room's messages, shown as the player reaches their offsets.
(() => {
  const panel = document.querySelector('[data-chat-video]');
  if (!panel) return;
  const videoId = panel.dataset.chatVideo;
  const log = panel.querySelector('.chat-log');
  const status = panel.querySelector('.chat-status');
  const pill = panel.querySelector('.chat-new');
  const scroller = panel.querySelector('.chat-scroll');
  let unseen = 0;

  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  const toBottom = () => {
    scroller.scrollTop = scroller.scrollHeight;
    unseen = 0;
    pill.hidden = true;
  };
  pill.addEventListener('click', () => {
    toBottom();
    log.focus();
  });
  scroller.addEventListener('scroll', () => {
    if (nearBottom()) toBottom();
  });

  /** Append lines, keeping the reader where they are: auto-scroll only when already at the bottom. */
  function append(nodes) {
    const stick = nearBottom();
    for (const node of nodes) log.append(node);
    if (stick) toBottom();
    else {
      unseen += nodes.length;
      pill.hidden = false;
      pill.textContent = `${unseen} new message${unseen === 1 ? '' : 's'}`;
    }
  }

  const clock = (ms) => {
    const s = Math.floor(ms / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  };

  function line(message, actions) {
    const li = document.createElement('li');
    li.className = 'chat-message';
    li.dataset.id = message.id;
    li.dataset.offset = String(message.offsetMs);
    const time = document.createElement('span');
    time.className = 'chat-time';
    time.textContent = clock(message.offsetMs);
    const who = document.createElement('strong');
    who.textContent = message.user.displayName;
    const text = document.createElement('span');
    text.className = 'chat-text';
    text.textContent = message.text;
    li.append(time, ' ', who, ': ', text);
    if (actions) li.append(actions(message));
    return li;
  }

  function systemLine(text) {
    const li = document.createElement('li');
    li.className = 'chat-system';
    li.textContent = text;
    return li;
  }

  if (panel.dataset.chatMode === 'replay') return replay();
  live();

  function replay() {
    const video = document.querySelector('video');
    const messages = [];
    let shown = 0;
    const load = async (from) => {
      const res = await fetch(
        `/api/v1/videos/${encodeURIComponent(videoId)}/chat/messages?fromOffsetMs=${from}&limit=500`,
      );
      if (!res.ok) return;
      const page = await res.json();
      const known = new Set(messages.map((m) => m.id));
      for (const m of page.messages) if (!known.has(m.id)) messages.push(m);
      if (page.nextOffsetMs !== undefined) await load(page.nextOffsetMs);
    };
    const sync = () => {
      const at = (video?.currentTime ?? 0) * 1000;
      let upTo = messages.findIndex((m) => m.offsetMs > at);
      if (upTo === -1) upTo = messages.length;
      if (upTo < shown) {
        // Seeking back: the log shows what was said up to the new position.
        log.replaceChildren();
        shown = 0;
      }
      if (upTo > shown) append(messages.slice(shown, upTo).map((m) => line(m)));
      shown = upTo;
    };
    load(0).then(() => {
      if (messages.length === 0) return;
      panel.hidden = false;
      status.textContent = `${messages.length} chat messages from the live, shown in step with the video.`;
      video?.addEventListener('timeupdate', sync);
      video?.addEventListener('seeked', sync);
      sync();
    });
  }

  function live() {
    const form = panel.querySelector('.chat-form');
    const input = panel.querySelector('#chat-input');
    const slow = panel.querySelector('.chat-slow');
    /** Sent and not yet acknowledged, by clientMsgId: resent after a reconnect. */
    const pending = new Map();
    let you = { canPost: false, canModerate: false };
    let slowSeconds = 0;
    let socket;
    let attempts = 0;

    const send = (frame) => socket?.readyState === WebSocket.OPEN && socket.send(JSON.stringify(frame));

    function actions(message) {
      const span = document.createElement('span');
      span.className = 'chat-actions';
      if (!you.canModerate || message.user.id === you.userId) return span;
      const button = (label, aria, frame) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = label;
        b.setAttribute('aria-label', `${aria} ${message.user.displayName}`);
        b.addEventListener('click', () => send(frame));
        return b;
      };
      span.append(
        button('Delete', 'Delete the message of', { type: 'delete', id: message.id }),
        button('Time out', 'Time out for 5 minutes', {
          type: 'timeout',
          userId: message.user.id,
          seconds: 300,
        }),
        button('Ban', 'Ban', { type: 'ban', userId: message.user.id }),
      );
      return span;
    }

    function onFrame(frame) {
      switch (frame.type) {
        case 'history': {
          you = frame.you;
          slowSeconds = frame.slowModeSeconds;
          const known = new Set([...log.querySelectorAll('[data-id]')].map((li) => li.dataset.id));
          append(frame.messages.filter((m) => !known.has(m.id)).map((m) => line(m, actions)));
          form.hidden = !(you.canPost && frame.open);
          panel.querySelector('.chat-mod').hidden = !you.canModerate;
          showSlow();
          status.textContent = frame.open
            ? you.canPost
              ? ''
              : 'Sign in to chat.'
            : 'The live has ended: the chat is read-only.';
          for (const [clientMsgId, text] of pending) send({ type: 'message', text, clientMsgId });
          break;
        }
        case 'message':
          if (!log.querySelector(`[data-id="${CSS.escape(frame.id)}"]`)) append([line(frame, actions)]);
          break;
        case 'ack':
          pending.delete(frame.clientMsgId);
          break;
        case 'error':
          if (frame.clientMsgId) pending.delete(frame.clientMsgId);
          status.textContent = frame.message;
          break;
        case 'delete':
          log.querySelector(`[data-id="${CSS.escape(frame.id)}"]`)?.remove();
          break;
        case 'timeout':
        case 'ban':
        case 'unban':
          if (frame.userId === you.userId) {
            status.textContent =
              frame.type === 'ban'
                ? 'You are banned from this chat.'
                : frame.type === 'unban'
                  ? ''
                  : 'You are timed out for a while.';
          }
          break;
        case 'slow-mode':
          slowSeconds = frame.seconds;
          showSlow();
          append([
            systemLine(
              frame.seconds ? `Slow mode: one message every ${frame.seconds} s.` : 'Slow mode is off.',
            ),
          ]);
          break;
        case 'system':
          append([systemLine(frame.text)]);
          break;
      }
    }

    function showSlow() {
      slow.textContent = slowSeconds ? `Slow mode: ${slowSeconds} s (turn off)` : 'Slow mode: off (turn on)';
    }
    slow.addEventListener('click', () => send({ type: 'slow-mode', seconds: slowSeconds ? 0 : 10 }));

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      const clientMsgId = crypto.randomUUID();
      pending.set(clientMsgId, text);
      send({ type: 'message', text, clientMsgId });
      input.value = '';
      input.focus();
    });

    function connect() {
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      socket = new WebSocket(
        `${scheme}://${location.host}/api/v1/videos/${encodeURIComponent(videoId)}/chat`,
      );
      socket.addEventListener('open', () => {
        attempts = 0;
      });
      socket.addEventListener('message', (event) => {
        try {
          onFrame(JSON.parse(event.data));
        } catch {
          // a frame this page does not understand is skipped, not fatal
        }
      });
      socket.addEventListener('close', (event) => {
        if (event.code === 4403) {
          status.textContent = 'This video is no longer available to you.';
          form.hidden = true;
          return;
        }
        // Backoff with jitter: 0.5 s, 1 s, 2 s ... up to 15 s, so a restarted origin is not stampeded.
        const delay = Math.min(15_000, 500 * 2 ** attempts) * (0.5 + Math.random() / 2);
        attempts += 1;
        status.textContent = 'Reconnecting to the chat…';
        setTimeout(connect, delay);
      });
    }
    connect();
  }
})();
