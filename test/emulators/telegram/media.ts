// Just enough image inspection to answer like Telegram: it rejects bytes that are
// not an image (IMAGE_PROCESS_FAILED) and reports the photo's dimensions in PhotoSize.
import { randomBytes } from 'node:crypto';

export interface ImageInfo {
  mime: string;
  ext: string;
  width: number;
  height: number;
}

function jpegSize(b: Buffer): { width: number; height: number } {
  let pos = 2;
  while (pos + 9 < b.length) {
    if (b[pos] !== 0xff) return { width: 0, height: 0 };
    const marker = b[pos + 1] as number;
    // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: b.readUInt16BE(pos + 5), width: b.readUInt16BE(pos + 7) };
    }
    pos += 2 + b.readUInt16BE(pos + 2);
  }
  return { width: 0, height: 0 };
}

export function sniffImage(b: Buffer): ImageInfo | undefined {
  if (b.length >= 24 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { mime: 'image/png', ext: 'png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    return { mime: 'image/jpeg', ext: 'jpg', ...jpegSize(b) };
  }
  if (b.length >= 10 && b.subarray(0, 4).toString('latin1') === 'GIF8') {
    return { mime: 'image/gif', ext: 'gif', width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  }
  if (b.length >= 30 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') {
    // VP8X stores (width-1, height-1) as 24-bit little-endian at bytes 24 and 27.
    const vp8x = b.subarray(12, 16).toString('latin1') === 'VP8X';
    return { mime: 'image/webp', ext: 'webp', width: vp8x ? b.readUIntLE(24, 3) + 1 : 0, height: vp8x ? b.readUIntLE(27, 3) + 1 : 0 };
  }
  return undefined;
}

/** Opaque, URL-safe identifiers in the spirit of Telegram's file_id / file_unique_id. */
export function opaqueId(prefix: string, bytes: number): string {
  return prefix + randomBytes(bytes).toString('base64url');
}

/** Callback query ids are long decimal strings on the wire. */
export function numericId(): string {
  return randomBytes(8).readBigUInt64BE().toString();
}
