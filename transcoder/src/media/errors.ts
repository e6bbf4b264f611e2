/**
 * Why an upload was refused. Each code has a message a person can read; the job runner shows the
 * message to the uploader and may branch on the code (e.g. `truncated` suggests re-uploading).
 */
export const REJECTION_CODES = {
  empty: 'empty',
  unreadable: 'unreadable',
  playlist: 'playlist',
  references: 'references',
  noStreams: 'no-streams',
  truncated: 'truncated',
  damaged: 'damaged',
} as const;
export type RejectionCode = (typeof REJECTION_CODES)[keyof typeof REJECTION_CODES];

/** The sentence shown to the uploader for each rejection code. */
export const REJECTION_MESSAGES: Record<RejectionCode, string> = {
  empty: 'The file is empty',
  unreadable: 'The file is not a video or audio file we can read',
  playlist: 'Playlists and concat lists are not accepted as uploads',
  references: 'The file refers to other files or URLs, which uploads may not do',
  'no-streams': 'The file has no video or audio stream',
  truncated: 'The file is incomplete: it may have been cut off during upload',
  damaged: 'The file is damaged and could not be converted',
};

/** The upload itself is unusable: retrying will not help, the uploader has to send another file. */
export class MediaRejectedError extends Error {
  override readonly name = 'MediaRejectedError';
  readonly code: RejectionCode;

  constructor(code: RejectionCode, message: string = REJECTION_MESSAGES[code]) {
    super(message);
    this.code = code;
  }
}

/** What went wrong in an FFmpeg/ffprobe run, decided from its stderr (run with `-v error`). */
export type FfmpegFailure =
  | { mediaFault: true; code: RejectionCode; message: string }
  | { mediaFault: false; message: string };

// Order matters: the first matching rule wins, so the specific causes come before generic ones.
const MEDIA_RULES: ReadonlyArray<readonly [RegExp, RejectionCode]> = [
  [/\[(hls|concat|applehttp)\s@[^\]]*\][^\n]*not on whitelist/, 'playlist'],
  [/Protocol '[^']*' not on whitelist/, 'references'],
  [/Format not on whitelist/, 'unreadable'],
  [/moov atom not found|partial file|Truncated|Unexpected end of file/i, 'truncated'],
  [/Invalid data found when processing input|could not find codec parameters/i, 'unreadable'],
];

// Failures of the machine rather than the file: the job should be retried, not the upload refused.
// Bad arguments (our bug, or an FFmpeg build without libx264) count as the machine's fault too.
const HOST_FAULTS = new RegExp(
  [
    'No space left on device',
    'Permission denied',
    'No such file or directory',
    'Cannot allocate memory',
    'Read-only file system',
    'Too many open files',
    'Unknown encoder',
    'Unrecognized option',
    'Error (?:initializing|reinitializing) (?:complex )?filters?',
    'No such filter',
    'Option \\S+ not found',
  ].join('|'),
  'i',
);

/** One stderr line without FFmpeg's `[demuxer @ 0x...]` prefix and without file paths. */
export function cleanFfmpegLine(line: string): string {
  return line
    .replace(/^\[[^\]]*@\s*0x[0-9a-f]+\]\s*/i, '')
    .replace(/(?:file:)?\/[^\s:'"]+/g, '<file>')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Turns FFmpeg's stderr into one short reason. Known causes get a fixed message; anything else gets
 * the last meaningful line, cleaned and cut, so users never see a 50-line dump or server paths.
 */
export function explainFfmpegFailure(stderr: string): FfmpegFailure {
  const lines = stderr
    .split('\n')
    .map(cleanFfmpegLine)
    .filter((line) => line.length > 0 && !/^Conversion failed!?$/.test(line));
  const last = lines.at(-1) ?? 'unknown error';
  if (HOST_FAULTS.test(stderr)) return { mediaFault: false, message: shorten(last) };
  for (const [pattern, code] of MEDIA_RULES) {
    if (pattern.test(stderr)) return { mediaFault: true, code, message: REJECTION_MESSAGES[code] };
  }
  return { mediaFault: true, code: 'damaged', message: `${REJECTION_MESSAGES.damaged} (${shorten(last)})` };
}

function shorten(text: string, max = 160): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
