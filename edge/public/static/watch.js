// Watch page: asks the edge for signed playback URLs (with the password, for protected videos),
// starts the player, or follows a video that is still processing and reloads when it is ready.
(() => {
  /** `POST /api/v1/videos/:id/playback`; rejects with the API's error code and message. */
  async function issue(videoId, password) {
    const res = await fetch(`/api/v1/videos/${encodeURIComponent(videoId)}/playback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(password === undefined ? {} : { password }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const error = new Error(body.error?.message ?? 'The video could not be loaded.');
      error.code = body.error?.code;
      throw error;
    }
    return body;
  }

  /** After a password unlocked the video, show its title and details, read with the same password. */
  async function showDetails(gate, videoId, password) {
    const res = await fetch(`/api/v1/videos/${encodeURIComponent(videoId)}`, {
      headers: { 'x-video-password': password },
    });
    if (!res.ok) return;
    const video = await res.json();
    const heading = document.createElement('h1');
    heading.id = 'video-title';
    heading.textContent = video.title;
    const description = document.createElement('p');
    description.className = 'description';
    description.textContent = video.description;
    gate.replaceWith(heading, description);
    document.title = `${video.title} · Vidra`;
  }

  function unlockWithPassword(form, player) {
    const input = form.querySelector('input[type="password"]');
    const error = form.querySelector('#video-password-error');
    const submit = form.querySelector('button[type="submit"]');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.hidden = true;
      submit.disabled = true;
      try {
        const urls = await issue(player.dataset.videoId, input.value);
        player.hidden = false;
        window.VidraPlayer.start(player, urls);
        await showDetails(form.closest('.password-gate'), player.dataset.videoId, input.value);
        player.querySelector('[data-action="play"]').focus();
      } catch (failure) {
        error.textContent =
          failure.code === 'wrong_password' ? 'That password is not right. Try again.' : failure.message;
        error.hidden = false;
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', 'video-password-error');
        input.focus();
      } finally {
        submit.disabled = false;
      }
    });
  }

  function followProcessing(section) {
    const bar = section.querySelector('progress');
    const status = section.querySelector('[data-processing-status]');
    window.VidraEvents.follow(section.dataset.videoId, {
      onUpdate(update) {
        bar.value = update.progress;
        status.textContent = `${window.VidraEvents.describe(update.state)}: ${update.progress}%`;
        // Ready means playable (the rest of the ladder may still be encoding): show the player.
        if (update.state === 'ready' || update.state === 'failed') window.location.reload();
      },
      onLost() {
        status.textContent = 'Live progress was interrupted. Reload the page to check again.';
      },
    });
  }

  /** A ready video still encoding its ladder: keep the notice under the player current. */
  function followLadder(notice) {
    window.VidraEvents.follow(notice.dataset.videoId, {
      onUpdate(update) {
        if (update.processing) {
          notice.textContent = `Higher qualities are still being prepared (${update.processing.progress}%)`;
        }
      },
      onEnd(last) {
        if (last.state === 'ready') {
          notice.textContent = 'Higher qualities are ready. Reload the page to use them.';
        }
      },
    });
  }

  /** A live video: say so when the stream ends (the player keeps what it buffered). */
  function followLive(notice) {
    window.VidraEvents.follow(notice.dataset.videoId, {
      onUpdate(update) {
        if (update.state === 'live') return;
        notice.textContent =
          update.state === 'ended'
            ? 'This live stream has ended.'
            : 'This live stream has ended. Reload the page to watch the replay.';
        notice.hidden = false;
      },
    });
  }

  const player = document.querySelector('[data-player]');
  const liveStatus = document.querySelector('[data-live-status]');
  if (liveStatus) followLive(liveStatus);
  const ladder = document.querySelector('[data-ladder-status]');
  if (ladder) followLadder(ladder);
  const gate = document.querySelector('[data-password-form]');
  const processing = document.querySelector('[data-processing]');
  if (processing) followProcessing(processing);
  if (player && gate) unlockWithPassword(gate, player);
  else if (player?.dataset.remoteHls) {
    // Another instance's video: its stable HLS URL redirects to that instance's signed playback.
    window.VidraPlayer.start(player, {
      hls: player.dataset.remoteHls,
      thumbnail: player.dataset.remoteThumbnail,
    });
  } else if (player) {
    issue(player.dataset.videoId)
      .then((urls) => window.VidraPlayer.start(player, urls))
      .catch((failure) => {
        player.querySelector('.player-status').textContent = failure.message;
      });
  }
})();
