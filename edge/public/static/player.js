// Vidra player: hls.js where Media Source Extensions exist, native HLS otherwise (Safari on iOS),
// with our own controls, a quality menu and storyboard previews over the seek bar. A live video
// (`data-live`) plays in hls.js's low-latency mode, shows its latency and can jump back to live.
(() => {
  /** `65.2` -> `1:05`. */
  const clock = (seconds) => {
    const s = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = String(s % 60).padStart(2, '0');
    return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
  };

  /** WebVTT timestamp (`hh:mm:ss.ttt` or `mm:ss.ttt`) in seconds. */
  const parseTimestamp = (text) => text.split(':').reduce((total, part) => total * 60 + Number(part), 0);

  /**
   * Storyboard cues from a WebVTT file whose cue payloads are `image.jpg#xywh=x,y,w,h`; image URLs
   * are resolved against the VTT's own URL (they are relative to it).
   */
  function parseStoryboard(text, baseUrl) {
    const cues = [];
    for (const block of text.replace(/\r/g, '').split(/\n{2,}/)) {
      const lines = block.split('\n');
      const at = lines.findIndex((line) => line.includes('-->'));
      if (at < 0) continue;
      const [from, to] = lines[at].split('-->').map((part) => parseTimestamp(part.trim().split(/\s+/)[0]));
      const match = /^(.+)#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec((lines[at + 1] ?? '').trim());
      if (!match) continue;
      const [, image, x, y, w, h] = match;
      cues.push({ start: from, end: to, url: new URL(image, baseUrl).href, x: +x, y: +y, w: +w, h: +h });
    }
    return cues;
  }

  /** Wire the storyboard preview: hover (or drag) over the seek bar shows that moment's sprite. */
  function storyboard(root, video, seek, url) {
    const frame = root.querySelector('.player-frame');
    const preview = root.querySelector('.storyboard-preview');
    const image = root.querySelector('.storyboard-image');
    const label = root.querySelector('.storyboard-time');
    let cues = [];
    fetch(url)
      .then((res) => (res.ok ? res.text() : ''))
      .then((text) => {
        cues = parseStoryboard(text, url);
        // Warm the sprite so the first hover does not flash an empty box.
        if (cues[0]) new Image().src = cues[0].url;
      })
      .catch(() => {});
    const show = (fraction) => {
      const duration = Number.isFinite(video.duration) ? video.duration : (cues.at(-1)?.end ?? 0);
      if (!duration) return;
      const time = fraction * duration;
      const cue = cues.find((c) => time >= c.start && time < c.end) ?? cues.at(-1);
      label.textContent = clock(time);
      image.hidden = !cue;
      if (cue) {
        Object.assign(image.style, {
          width: `${cue.w}px`,
          height: `${cue.h}px`,
          backgroundImage: `url("${cue.url}")`,
          backgroundPosition: `-${cue.x}px -${cue.y}px`,
        });
        root.dataset.preview = `${cue.x},${cue.y},${cue.w},${cue.h}`;
      }
      const width = frame.clientWidth;
      const half = (cue?.w ?? 48) / 2 + 4;
      preview.style.left = `${Math.min(width - half, Math.max(half, fraction * width))}px`;
      preview.hidden = false;
    };
    seek.addEventListener('pointermove', (event) => {
      const box = seek.getBoundingClientRect();
      show(Math.min(1, Math.max(0, (event.clientX - box.left) / box.width)));
    });
    seek.addEventListener('pointerleave', () => {
      preview.hidden = true;
    });
    seek.addEventListener('blur', () => {
      preview.hidden = true;
    });
    seek.addEventListener('input', () => show(seek.value / 1000));
  }

  /** Quality menu: Auto plus one entry per rendition, best first; switching sets `currentLevel`. */
  function qualityMenu(root, hls, select, say) {
    const levels = hls.levels.map((level, index) => ({
      index,
      height: level.height,
      bitrate: level.bitrate,
    }));
    levels.sort((a, b) => b.height - a.height || b.bitrate - a.bitrate);
    select.replaceChildren(
      new Option('Auto', '-1'),
      ...levels.map((l) => new Option(`${l.height}p`, String(l.index))),
    );
    select.disabled = levels.length < 2;
    select.addEventListener('change', () => {
      hls.currentLevel = Number(select.value);
      say(select.value === '-1' ? 'Quality: automatic' : `Quality: ${select.selectedOptions[0].text}`);
    });
    hls.on(window.Hls.Events.LEVEL_SWITCHED, (_event, data) => {
      const height = hls.levels[data.level]?.height;
      root.dataset.level = String(data.level);
      root.dataset.height = String(height ?? '');
      if (select.value === '-1' && height) select.options[0].text = `Auto (${height}p)`;
    });
  }

  /**
   * Live controls: the current latency (`hls.latency`, seconds behind the live edge) and a
   * "back to live" button that seeks to `hls.liveSyncPosition`, the position hls.js aims to hold.
   */
  function liveControls(root, hls, video) {
    const value = root.querySelector('[data-latency-value]');
    const back = root.querySelector('[data-action="live-edge"]');
    if (!hls) {
      // Native HLS (Safari) keeps to the live edge itself and reports no latency.
      root.querySelector('[data-latency]').hidden = true;
      back.hidden = true;
      return;
    }
    back.disabled = false;
    back.addEventListener('click', () => {
      const target = hls.liveSyncPosition;
      if (Number.isFinite(target)) video.currentTime = target;
      if (video.paused) video.play().catch(() => {});
    });
    const show = () => {
      // In real-time mode realtime.js shows the WebRTC latency instead.
      if (root.dataset.mode === 'realtime') return;
      const latency = hls.latency;
      // Before the media has a position, hls.latency is the whole stream so far: nothing to show.
      if (!Number.isFinite(latency) || latency <= 0 || video.currentTime === 0) return;
      value.textContent = `${latency.toFixed(1)} s`;
      root.dataset.latency = latency.toFixed(3);
      // Seconds behind where low-latency playback aims to be; far behind, the button stands out.
      const behind = latency - (hls.targetLatency ?? latency);
      back.classList.toggle('behind', behind > 3);
    };
    setInterval(show, 500);
  }

  /** Start playing `urls` (from playback issuance) in the player shell `root`. */
  function start(root, urls) {
    const video = root.querySelector('video');
    const seek = root.querySelector('.seek');
    const select = root.querySelector('#quality');
    const status = root.querySelector('.player-status');
    const button = (action) => root.querySelector(`[data-action="${action}"]`);
    const say = (text) => {
      status.textContent = text;
    };
    if (urls.thumbnail) video.poster = urls.thumbnail;
    let hls;
    const live = root.dataset.live === 'true';
    if (window.Hls?.isSupported()) {
      // Low-latency mode loads LL-HLS parts and blocks on playlist reloads (`_HLS_msn`/`_HLS_part`).
      hls = new window.Hls(live ? { lowLatencyMode: true, backBufferLength: 30 } : {});
      hls.on(window.Hls.Events.MANIFEST_PARSED, () => qualityMenu(root, hls, select, say));
      hls.on(window.Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) return hls.recoverMediaError();
        say('The video could not be loaded. Reload the page to try again.');
        hls.destroy();
      });
      hls.loadSource(urls.hls);
      hls.attachMedia(video);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      // Native HLS picks the rendition itself; the menu stays at Auto.
      video.src = urls.hls;
    } else {
      say('This browser cannot play HLS video.');
      return;
    }
    root.vidra = { hls, video };

    const play = button('play');
    const mute = button('mute');
    const full = button('fullscreen');
    for (const control of [play, mute, full, seek]) control.disabled = false;
    full.hidden = !document.fullscreenEnabled;
    const toggle = () =>
      video.paused ? video.play().catch(() => say('Press Play to start.')) : video.pause();
    play.addEventListener('click', toggle);
    video.addEventListener('click', toggle);
    video.addEventListener('play', () => {
      play.textContent = 'Pause';
    });
    video.addEventListener('playing', () => say(''));
    video.addEventListener('pause', () => {
      play.textContent = 'Play';
    });
    mute.addEventListener('click', () => {
      video.muted = !video.muted;
      mute.textContent = video.muted ? 'Unmute' : 'Mute';
      mute.setAttribute('aria-pressed', String(video.muted));
    });
    full.addEventListener('click', () =>
      document.fullscreenElement ? document.exitFullscreen() : root.requestFullscreen().catch(() => {}),
    );
    if (live) {
      liveControls(root, hls, video);
      // The seek bar spans the DVR window: what the browser can seek to, up to the live edge.
      const window_ = () => {
        const ranges = video.seekable;
        return ranges.length ? { start: ranges.start(0), end: ranges.end(ranges.length - 1) } : undefined;
      };
      video.addEventListener('timeupdate', () => {
        const range = window_();
        if (!range || range.end <= range.start) return;
        seek.value = String(
          Math.round(((video.currentTime - range.start) / (range.end - range.start)) * 1000),
        );
        seek.setAttribute('aria-valuetext', `${clock(range.end - video.currentTime)} behind live`);
      });
      seek.addEventListener('input', () => {
        const range = window_();
        if (range) video.currentTime = range.start + (seek.value / 1000) * (range.end - range.start);
      });
    } else {
      const current = root.querySelector('[data-current]');
      const total = root.querySelector('[data-duration]');
      video.addEventListener('durationchange', () => {
        total.textContent = clock(video.duration);
      });
      video.addEventListener('timeupdate', () => {
        current.textContent = clock(video.currentTime);
        if (video.duration) seek.value = String(Math.round((video.currentTime / video.duration) * 1000));
        seek.setAttribute('aria-valuetext', `${clock(video.currentTime)} of ${clock(video.duration)}`);
      });
      seek.addEventListener('input', () => {
        if (video.duration) video.currentTime = (seek.value / 1000) * video.duration;
      });
    }
    if (urls.storyboard && !live) storyboard(root, video, seek, urls.storyboard);
    if (live && urls.whep && hls && window.VidraRealtime) window.VidraRealtime.offer(root, urls, say);
    say('Ready to play.');
  }

  window.VidraPlayer = { start, parseStoryboard };
})();
