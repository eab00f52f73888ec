// Generates build/icon.png (1024×1024), the source electron-builder derives .ico/.icns from. A four-pointed
// star (the lodestar) on a dark-blue rounded square, drawn with plain math so no image tool is needed.
// Run: node build/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 1024;
const pixels = Buffer.alloc(SIZE * (SIZE * 4 + 1));

function inRoundedSquare(x, y) {
  const r = 180;
  const m = 40;
  const cx = Math.min(Math.max(x, m + r), SIZE - m - r);
  const cy = Math.min(Math.max(y, m + r), SIZE - m - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= m && x <= SIZE - m && y >= m && y <= SIZE - m;
}

function inStar(x, y) {
  // |dx|^p + |dy|^p <= 1 with p < 1 gives a star with four concave sides.
  const dx = Math.abs(x - SIZE / 2) / 380;
  const dy = Math.abs(y - SIZE / 2) / 380;
  return dx ** 0.5 + dy ** 0.5 <= 1;
}

for (let y = 0; y < SIZE; y++) {
  const row = y * (SIZE * 4 + 1);
  pixels[row] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const o = row + 1 + x * 4;
    let rgba = [0, 0, 0, 0];
    if (inRoundedSquare(x, y)) rgba = [18, 42, 82, 255];
    if (inStar(x, y)) rgba = [250, 204, 21, 255];
    pixels[o] = rgba[0];
    pixels[o + 1] = rgba[1];
    pixels[o + 2] = rgba[2];
    pixels[o + 3] = rgba[3];
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(pixels, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`build/icon.png written (${png.length} bytes)`);
