/** One rendition of a live stream, as the multivariant playlist lists it. */
export interface LiveVariant {
  /** The rendition's folder: its playlist is `<name>/<mediaPlaylist>`. */
  name: string;
  bandwidth: number;
  codecs?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
}

/**
 * The multivariant (master) playlist of a live stream: one `EXT-X-STREAM-INF` per rendition,
 * highest bandwidth first, each pointing at the rendition's LL-HLS media playlist.
 */
export function renderMultivariantPlaylist(variants: readonly LiveVariant[], mediaPlaylist: string): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:9', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const variant of [...variants].sort((a, b) => b.bandwidth - a.bandwidth)) {
    const attributes = [`BANDWIDTH=${variant.bandwidth}`];
    if (variant.codecs) attributes.push(`CODECS="${variant.codecs}"`);
    if (variant.width && variant.height) attributes.push(`RESOLUTION=${variant.width}x${variant.height}`);
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, `${variant.name}/${mediaPlaylist}`);
  }
  return `${lines.join('\n')}\n`;
}
