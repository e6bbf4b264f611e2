import { Upload } from 'tus-js-client';

interface TusTarget {
  endpoint: string;
  token: string;
  videoId: string;
}

function upload(file: Buffer, target: TusTarget, extra: { uploadUrl?: string; stopAfterBytes?: number }) {
  return new Promise<{ url: string; completed: boolean }>((resolve, reject) => {
    let stopped = false;
    const tus: Upload = new Upload(file, {
      endpoint: target.endpoint,
      ...(extra.uploadUrl ? { uploadUrl: extra.uploadUrl } : {}),
      chunkSize: 64 * 1024,
      retryDelays: [],
      metadata: { videoId: target.videoId, filename: 'clip.mp4' },
      headers: { authorization: `Bearer ${target.token}` },
      onChunkComplete(_chunk, sent) {
        if (extra.stopAfterBytes !== undefined && sent >= extra.stopAfterBytes && !stopped) {
          stopped = true;
          // Simulates a dropped connection: the client just stops sending.
          void tus.abort().then(() => resolve({ url: tus.url as string, completed: false }));
        }
      },
      onSuccess: () => resolve({ url: tus.url as string, completed: true }),
      onError: reject,
    });
    tus.start();
  });
}

/**
 * Upload with tus-js-client in 64 KiB chunks, cut the transfer after `interruptAt` bytes, then
 * resume from where the server says it stopped with a fresh client.
 */
export async function uploadInterrupted(file: Buffer, target: TusTarget, interruptAt: number) {
  const first = await upload(file, target, { stopAfterBytes: interruptAt });
  if (first.completed) throw new Error('the upload finished before it could be interrupted');
  const head = await fetch(new URL(first.url, target.endpoint), {
    method: 'HEAD',
    headers: { 'tus-resumable': '1.0.0', authorization: `Bearer ${target.token}` },
  });
  const offsetAfterInterruption = Number(head.headers.get('upload-offset'));
  const second = await upload(file, target, { uploadUrl: new URL(first.url, target.endpoint).toString() });
  return { url: second.url, offsetAfterInterruption, completed: second.completed };
}

/** A one-shot upload (no chunking tricks) for tests that only need the file on the server. */
export async function uploadWhole(file: Buffer, target: TusTarget) {
  return upload(file, target, {});
}
