/**
 * A millisecond clock burned into video frames as black and white boxes, and read back.
 * 8 x 6 boxes over the frame: 41 bits of `Date.now()` (most significant first), then 7 bits of
 * `ms % 127` as a check, so a half-decoded or blended frame is dropped rather than misread.
 */
export const WIDTH = 640;
export const HEIGHT = 360;
export const COLS = 8;
export const ROWS = 6;
const TIME_BITS = 41;
const CHECK_BITS = 7;

function bitsOf(ms: number): number[] {
  const bits: number[] = [];
  for (let i = TIME_BITS - 1; i >= 0; i--) bits.push(Math.floor(ms / 2 ** i) % 2);
  const check = ms % 127;
  for (let i = CHECK_BITS - 1; i >= 0; i--) bits.push((check >> i) & 1);
  return bits;
}

/** Fill `frame` (WIDTH x HEIGHT, 8-bit gray) with the boxes of `ms`. */
export function burn(frame: Buffer, ms: number): void {
  const bits = bitsOf(ms);
  const cw = WIDTH / COLS;
  const ch = HEIGHT / ROWS;
  for (let cell = 0; cell < COLS * ROWS; cell++) {
    const value = bits[cell] ? 255 : 0;
    const x0 = (cell % COLS) * cw;
    const y0 = Math.floor(cell / COLS) * ch;
    for (let y = y0; y < y0 + ch; y++) frame.fill(value, y * WIDTH + x0, y * WIDTH + x0 + cw);
  }
}

/**
 * Read the time back from luma samples: `at(x, y)` gives 0..255 at frame coordinates
 * (WIDTH x HEIGHT). Each box is judged by the mean of its centre half. Undefined if the check fails.
 */
export function readBack(at: (x: number, y: number) => number): number | undefined {
  const cw = WIDTH / COLS;
  const ch = HEIGHT / ROWS;
  let ms = 0;
  let check = 0;
  for (let cell = 0; cell < COLS * ROWS; cell++) {
    const x0 = (cell % COLS) * cw;
    const y0 = Math.floor(cell / COLS) * ch;
    let sum = 0;
    let n = 0;
    for (let y = y0 + ch / 4; y < y0 + (3 * ch) / 4; y += 3)
      for (let x = x0 + cw / 4; x < x0 + (3 * cw) / 4; x += 3) {
        sum += at(Math.floor(x), Math.floor(y));
        n++;
      }
    const bit = sum / n > 128 ? 1 : 0;
    if (cell < TIME_BITS) ms = ms * 2 + bit;
    else check = check * 2 + bit;
  }
  return ms % 127 === check ? ms : undefined;
}
