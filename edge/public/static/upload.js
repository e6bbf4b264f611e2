// Upload page: creates the video, sends the file with tus (resumable, pausable), then follows the
// processing over SSE. tus-js-client keeps each upload's URL in localStorage under the file's
// fingerprint; we keep the video id beside it, so a reload continues the same upload and video.
(() => {
  const form = document.querySelector('[data-upload-form]');
  if (!form) return;
  const $ = (selector) => document.querySelector(selector);
  const ENDPOINT = new URL('/api/v1/uploads', window.location.href).href;
  const RECORD = 'vidra-upload:';
  const fileInput = $('#file');
  const title = $('#title');
  const privacy = $('#privacy');
  const password = $('#video-password');
  const errorBox = $('[data-upload-error]');
  const note = $('[data-resume-note]');
  const panel = $('[data-upload-progress]');
  const bar = $('#upload-bar');
  const stats = $('[data-upload-stats]');
  const pause = $('[data-action="pause"]');

  const mb = (bytes) => `${(bytes / 1_048_576).toFixed(1)} MB`;
  const load = (key) => JSON.parse(localStorage.getItem(RECORD + key) ?? 'null');
  const fingerprint = (file) => window.tus.defaultOptions.fingerprint(file, { endpoint: ENDPOINT });

  const unfinished = Object.keys(localStorage).filter((key) => key.startsWith(RECORD));
  if (unfinished.length > 0) {
    const names = unfinished.map((key) => JSON.parse(localStorage.getItem(key) ?? '{}').fileName).join(', ');
    note.textContent = `Unfinished upload: ${names}. Choose the same file to continue where it stopped.`;
    note.hidden = false;
  }
  const syncPassword = () => {
    $('[data-password-field]').hidden = privacy.value !== 'password';
  };
  privacy.addEventListener('change', syncPassword);
  syncPassword();

  fileInput.addEventListener('change', async () => {
    const file = fileInput.files[0];
    if (!file) return;
    const saved = load(await fingerprint(file));
    if (saved) {
      title.value ||= saved.title;
      note.textContent = `“${saved.title}” was partly uploaded: it will continue where it stopped.`;
      note.hidden = false;
    } else if (!title.value) title.value = file.name.replace(/\.[^.]+$/, '');
  });

  const fail = (message, field) => {
    errorBox.textContent = message;
    errorBox.hidden = false;
    field?.focus();
  };

  async function api(path, init) {
    const res = await fetch(path, {
      ...init,
      headers: { 'content-type': 'application/json', ...init?.headers },
    });
    const body = await res.json().catch(() => ({}));
    if (res.ok) return body;
    if (res.status === 401) throw new Error('Your session has ended. Sign in again, then retry.');
    throw new Error(
      body.error?.fields?.[0]?.message ?? body.error?.message ?? `Request failed (${res.status})`,
    );
  }

  /** The video created for this file by an earlier visit, if it still waits for its bytes. */
  async function earlierVideo(key) {
    const saved = load(key);
    if (!saved) return undefined;
    const video = await api(`/api/v1/videos/${saved.videoId}`).catch(() => undefined);
    if (video && (video.state === 'created' || video.state === 'uploading')) return saved.videoId;
    localStorage.removeItem(RECORD + key);
    return undefined;
  }

  /** Progress line: bytes, speed over the last seconds, and time left. */
  function meter() {
    let samples = [];
    return {
      reset: () => {
        samples = [];
      },
      update(sent, total) {
        const now = performance.now();
        samples.push([now, sent]);
        samples = samples.filter(([t]) => now - t < 5000);
        const [t0, b0] = samples[0];
        const speed = now > t0 ? ((sent - b0) / (now - t0)) * 1000 : 0;
        const left = speed > 0 ? Math.ceil((total - sent) / speed) : undefined;
        bar.value = total ? (sent / total) * 100 : 0;
        const eta =
          left === undefined
            ? ''
            : ` · about ${left < 60 ? `${left} s` : `${Math.ceil(left / 60)} min`} left`;
        stats.textContent = `${mb(sent)} of ${mb(total)} (${Math.floor(bar.value)}%) · ${mb(speed)}/s${eta}`;
      },
    };
  }

  function followProcessing(videoId) {
    const status = $('[data-processing-status]');
    const link = $('[data-watch-link]');
    link.querySelector('a').href = `/w/${videoId}`;
    window.VidraEvents.follow(videoId, {
      onUpdate(update) {
        $('#processing-bar').value = update.progress;
        status.textContent = `${window.VidraEvents.describe(update.state)}: ${update.progress}%`;
        if (update.state === 'ready') link.hidden = false;
        if (update.state === 'failed')
          status.textContent = `Processing failed: ${update.error ?? 'unknown reason'}`;
      },
      onLost() {
        status.textContent =
          'Live progress was interrupted; your video keeps processing. Check your channel later.';
      },
    });
  }

  async function send(file, key, videoId, resume) {
    const progress = meter();
    const upload = new window.tus.Upload(file, {
      endpoint: ENDPOINT,
      // Chunks keep each request far below proxy body limits and make resuming cheap.
      chunkSize: 8 * 1_048_576,
      retryDelays: [0, 1000, 3000, 5000, 10000],
      metadata: { videoId, filename: file.name, filetype: file.type },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onProgress: (sent, total) => progress.update(sent, total),
      onSuccess() {
        localStorage.removeItem(RECORD + key);
        bar.value = 100;
        stats.textContent = `Upload complete: ${mb(file.size)}.`;
        pause.hidden = true;
        followProcessing(videoId);
      },
      onError(error) {
        const status = error.originalResponse?.getStatus?.();
        stats.textContent =
          status === 401
            ? 'Your session has ended. Sign in again in another tab, then resume.'
            : `Upload stopped: ${error.message}`;
        pause.textContent = 'Resume';
      },
    });
    const previous = await upload.findPreviousUploads();
    if (resume && previous.length > 0) {
      previous.sort((a, b) => String(b.creationTime).localeCompare(String(a.creationTime)));
      upload.resumeFromPreviousUpload(previous[0]);
    } else {
      // Leftovers of another video's upload of this file: not ours to continue.
      for (const old of previous) await window.tus.defaultOptions.urlStorage.removeUpload(old.urlStorageKey);
    }
    pause.addEventListener('click', () => {
      if (pause.textContent === 'Pause') {
        upload.abort();
        pause.textContent = 'Resume';
        stats.textContent = `Paused at ${Math.floor(bar.value)}%.`;
      } else {
        progress.reset();
        upload.start();
        pause.textContent = 'Pause';
      }
    });
    upload.start();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errorBox.hidden = true;
    const file = fileInput.files[0];
    if (!file) return fail('Choose a video file.', fileInput);
    if (!title.value.trim()) return fail('Enter a title.', title);
    if (privacy.value === 'password' && password.value.length < 4) {
      return fail('Use at least 4 characters for the video password.', password);
    }
    const submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    try {
      const key = await fingerprint(file);
      let videoId = await earlierVideo(key);
      const resume = Boolean(videoId);
      if (!videoId) {
        const created = await api('/api/v1/videos', {
          method: 'POST',
          body: JSON.stringify({
            channelId: $('#channel').value,
            title: title.value.trim(),
            description: $('#description').value,
            privacy: privacy.value,
            ...(privacy.value === 'password' ? { password: password.value } : {}),
          }),
        });
        videoId = created.video.id;
        const record = { videoId, title: title.value.trim(), fileName: file.name, savedAt: Date.now() };
        localStorage.setItem(RECORD + key, JSON.stringify(record));
      }
      form.hidden = true;
      panel.hidden = false;
      $('#upload-progress-heading').textContent = `Uploading “${title.value.trim()}”`;
      await send(file, key, videoId, resume);
    } catch (error) {
      submit.disabled = false;
      fail(error.message);
    }
  });
})();
