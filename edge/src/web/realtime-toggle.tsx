/**
 * The "Real-time" switch of a live player (issue 12): shown by `realtime.js` once the playback
 * answer carries a `whep` URL, it moves playback between LL-HLS and WebRTC (WHEP). A failed
 * WebRTC start falls back to LL-HLS; the latency next to it is kept current in both modes.
 */
export function RealtimeToggle() {
  return (
    <button type="button" data-action="realtime" aria-pressed="false" hidden>
      Real-time
    </button>
  );
}
