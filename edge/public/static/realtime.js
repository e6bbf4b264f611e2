// Vidra real-time playback (issue 12): a live player whose playback answer has a `whep` URL gets a
// "Real-time" button. Pressed, LL-HLS is paused and the stream plays over WebRTC: an SDP offer
// is posted to the WHEP URL (through the edge, which checks the playback token), media then comes
// straight from the ingest node. Any failure falls back to LL-HLS. The latency shown in real-time
// mode is the receiver's own estimate: network (half the round trip) plus the jitter buffer.
(() => {
  const CONNECT_TIMEOUT_MS = 6000;

  /** Wait until ICE gathering completes (or 2 s): WHEP answers one offer, without trickle. */
  function gathered(pc) {
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => pc.iceGatheringState === 'complete' && resolve();
      pc.addEventListener('icegatheringstatechange', done);
      setTimeout(resolve, 2000);
    });
  }

  /** Receiver-side latency in seconds from getStats, or undefined before any frame. */
  async function latencyOf(pc) {
    let buffer;
    let rtt = 0;
    for (const report of (await pc.getStats()).values()) {
      if (report.type === 'inbound-rtp' && report.kind === 'video' && report.jitterBufferEmittedCount) {
        buffer = report.jitterBufferDelay / report.jitterBufferEmittedCount;
      }
      if (report.type === 'candidate-pair' && report.nominated && report.currentRoundTripTime) {
        rtt = report.currentRoundTripTime;
      }
    }
    return buffer === undefined ? undefined : buffer + rtt / 2;
  }

  async function connect(whepUrl, video) {
    const pc = new RTCPeerConnection();
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const stream = new MediaStream();
    pc.addEventListener('track', (event) => stream.addTrack(event.track));
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    const res = await fetch(whepUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp' },
      body: pc.localDescription.sdp,
    });
    if (res.status !== 201) {
      pc.close();
      throw new Error(`WHEP answered ${res.status}`);
    }
    const location = res.headers.get('location');
    await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('WebRTC did not connect')), CONNECT_TIMEOUT_MS);
      pc.addEventListener('connectionstatechange', () => {
        if (pc.connectionState === 'connected') {
          clearTimeout(timer);
          resolve();
        } else if (pc.connectionState === 'failed') {
          clearTimeout(timer);
          reject(new Error('WebRTC failed'));
        }
      });
    });
    video.srcObject = stream;
    return { pc, location: location ? new URL(location, whepUrl).toString() : null };
  }

  /** Offer real-time playback next to LL-HLS in the live player `root` (called by player.js). */
  function offer(root, urls, say) {
    const button = root.querySelector('[data-action="realtime"]');
    const value = root.querySelector('[data-latency-value]');
    const video = root.querySelector('video');
    const { hls } = root.vidra;
    if (!button || !window.RTCPeerConnection) return;
    button.hidden = false;
    let session;
    let ticker;

    const toHls = (message) => {
      clearInterval(ticker);
      if (session) {
        session.pc.close();
        if (session.location) fetch(session.location, { method: 'DELETE' }).catch(() => {});
      }
      session = undefined;
      root.vidra.pc = undefined;
      video.srcObject = null;
      root.dataset.mode = 'hls';
      button.setAttribute('aria-pressed', 'false');
      hls.attachMedia(video);
      hls.startLoad();
      video.play().catch(() => {});
      if (message) say(message);
    };

    const toRealtime = async () => {
      button.disabled = true;
      say('Connecting in real time…');
      hls.stopLoad();
      hls.detachMedia();
      try {
        session = await connect(urls.whep, video);
        root.vidra.pc = session.pc;
        root.dataset.mode = 'realtime';
        button.setAttribute('aria-pressed', 'true');
        await video.play().catch(() => {});
        say('');
        session.pc.addEventListener('connectionstatechange', () => {
          if (['failed', 'closed'].includes(session?.pc.connectionState ?? ''))
            toHls('Real-time playback stopped; back to LL-HLS.');
        });
        ticker = setInterval(async () => {
          const latency = session ? await latencyOf(session.pc) : undefined;
          if (latency === undefined) return;
          value.textContent = `${latency.toFixed(2)} s (real-time)`;
          root.dataset.latency = latency.toFixed(3);
        }, 500);
      } catch {
        toHls('Real-time playback is not available here; playing LL-HLS.');
      } finally {
        button.disabled = false;
      }
    };

    button.addEventListener('click', () => (root.dataset.mode === 'realtime' ? toHls() : toRealtime()));
  }

  window.VidraRealtime = { offer };
})();
