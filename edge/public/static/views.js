// Reports a view once playback really starts (PeerTube's POST /api/v1/videos/:id/views), and where
// playback was when the viewer pauses or leaves, for their watch history. The API counts a viewer
// once per window, so a reload or a second play costs nothing; failures are ignored on purpose.
// On a live, the same report is a heartbeat: it keeps the viewer in the live's viewer count.
(() => {
  const player = document.querySelector('[data-player][data-video-id]');
  const video = player?.querySelector('video');
  if (!player || !video) return;
  const url = `/api/v1/videos/${encodeURIComponent(player.dataset.videoId)}/views`;
  const report = (viewEvent) => {
    const body = JSON.stringify({ currentTime: Math.floor(video.currentTime || 0), viewEvent });
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      keepalive: true,
    }).catch(() => {});
  };
  let started = false;
  video.addEventListener('playing', () => {
    if (started) return;
    started = true;
    report('watch');
  });
  // A live counts who is watching now: a heartbeat every 10 s while playing (the origin keeps a
  // viewer for 30 s after their last one).
  if (player.dataset.live === 'true') {
    setInterval(() => {
      if (started && !video.paused) report('watch');
    }, 10_000);
  }
  video.addEventListener('pause', () => started && report('watch'));
  video.addEventListener('seeked', () => started && report('seek'));
})();
