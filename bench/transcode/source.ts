import { runProcess } from '../../transcoder/src/media/process.js';

/**
 * Writes the bench source: 1080p30 H.264 High (CABAC, B-frames) at ~16 Mbit/s with stereo AAC,
 * like a phone recording. Temporal noise and a slow scroll over testsrc2's moving pattern keep
 * every frame different, so the encoders cannot coast on static content.
 */
export async function generateSource(output: string, seconds: number, signal: AbortSignal): Promise<void> {
  // biome-ignore format: an option and its value per line
  const args = [
    '-hide_banner', '-nostdin', '-y', '-loglevel', 'error',
    '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=30:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:beep_factor=4:duration=${seconds}:sample_rate=48000`,
    '-filter_complex',
    '[0:v]noise=alls=20:allf=t,scroll=h=0.002:v=0.001,format=yuv420p[v];[1:a]aformat=channel_layouts=stereo[a]',
    '-map', '[v]', '-map', '[a]',
    '-c:v', 'libx264', '-preset', 'superfast', '-profile:v', 'high',
    '-b:v', '16M', '-maxrate', '20M', '-bufsize', '32M', '-g', '60',
    '-c:a', 'aac', '-b:a', '192k', '-movflags', '+faststart',
    output,
  ];
  const result = await runProcess('ffmpeg', args, { signal });
  if (result.code !== 0) throw new Error(`could not generate the source: ${result.stderr.slice(-500)}`);
}
