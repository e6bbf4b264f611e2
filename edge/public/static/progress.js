// Follows a video's processing over server-sent events (`GET /api/v1/videos/:id/events`).
// EventSource cannot send an Authorization header; the edge turns the session cookie into one.
(() => {
  const SETTLED = new Set(['failed', 'deleted']);

  /**
   * Calls `onUpdate({ state, progress, processing?, error? })` on every change until the video
   * settles (ready with nothing left to encode, failed or deleted), then `onEnd(last)`. A ready
   * video still encoding its ladder has `processing: { stage: 'ladder', progress }`. Returns a function that stops.
   * The stream replays the video's past state events first; only the status after them counts,
   * so state events are acted on once the first progress event (the current status) has arrived.
   */
  function follow(videoId, { onUpdate, onEnd, onLost }) {
    const source = new EventSource(`/api/v1/videos/${encodeURIComponent(videoId)}/events`);
    let live = false;
    let last = { state: 'queued', progress: 0 };
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      source.close();
      onEnd?.(last);
    };
    const update = (next) => {
      last = { ...last, ...next };
      onUpdate?.(last);
      // Progress events carry `processing` (null once nothing is left); until one arrives, 100% is.
      const complete =
        last.state === 'ready' &&
        (last.processing === undefined ? last.progress >= 100 : last.processing === null);
      if (complete || SETTLED.has(last.state)) finish();
    };
    source.addEventListener('progress', (event) => {
      live = true;
      const data = JSON.parse(event.data);
      update({ state: data.state, progress: data.progress, processing: data.processing });
    });
    source.addEventListener('state', (event) => {
      const data = JSON.parse(event.data);
      // A state change makes the last `processing` stale; the next progress event brings it.
      if (live)
        update({ state: data.state, processing: undefined, ...(data.error ? { error: data.error } : {}) });
      else if (data.error) last.error = data.error;
    });
    // The server's last word: the video settled, or nothing changed for a long while. Either way,
    // stop here instead of letting EventSource reconnect.
    source.addEventListener('end', (event) => {
      const data = JSON.parse(event.data);
      if (data.reason === 'settled') {
        update({ state: data.state });
        finish();
      } else if (!done) {
        // Idle: nothing settled, so this is not an end of processing; say the live view stopped.
        done = true;
        source.close();
        onLost?.();
      }
    });
    source.addEventListener('error', () => {
      // The server closes the stream once the video settles; EventSource would reconnect forever.
      if (done) return;
      if (source.readyState === EventSource.CLOSED) onLost?.();
    });
    return () => {
      done = true;
      source.close();
    };
  }

  /** Human wording of a processing state. */
  function describe(state) {
    return (
      {
        created: 'Waiting for the upload',
        uploading: 'Uploading',
        queued: 'Waiting for a transcoder',
        transcoding: 'Transcoding',
        ready: 'Ready',
        failed: 'Failed',
        deleted: 'Deleted',
      }[state] ?? state
    );
  }

  window.VidraEvents = { follow, describe };
})();
