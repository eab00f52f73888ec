/**
 * Redis Cluster hash slots, computed here as Redis does (CRC16/XMODEM of the key's hash tag, mod 16384), and one
 * short hash tag per slot. The relay groups a turn's fixes by slot, and under Cluster the idempotency claims and
 * the positioned channel are per slot: `<prefix>seen:{<tag>}:<bucket>` and `<channel>{<tag>}`. A slot's tag is
 * the first base-36 number whose CRC16 lands on that slot; every relay computes the same table, and the names it
 * gives are stored and subscribed to, so the rule must never change.
 */
export const SLOT_COUNT = 16384;

const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ (CRC16_TABLE[((crc >> 8) ^ byte) & 0xff] as number);
  return crc;
}

/** The slot of a key (or a channel) as Redis Cluster computes it: only the first non-empty `{...}` counts. */
export function slotOf(key: string): number {
  const open = key.indexOf('{');
  if (open !== -1) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) key = key.slice(open + 1, close);
  }
  return crc16(Buffer.from(key, 'utf8')) % SLOT_COUNT;
}

let tags: string[] | undefined;

/** A short hash tag whose slot is `slot` (about 170,000 CRCs to build the table once: ~20 ms). */
export function slotTag(slot: number): string {
  if (!tags) {
    const table = new Array<string>(SLOT_COUNT);
    let left = SLOT_COUNT;
    for (let n = 0; left > 0; n++) {
      const tag = n.toString(36);
      const s = crc16(Buffer.from(tag, 'latin1')) % SLOT_COUNT;
      if (table[s] === undefined) {
        table[s] = tag;
        left--;
      }
    }
    tags = table;
  }
  return tags[slot] as string;
}

/** Under Cluster, the channel that carries `channel`'s messages for one slot (SPUBLISH / SSUBSCRIBE). */
export function shardedChannel(channel: string, slot: number): string {
  return `${channel}{${slotTag(slot)}}`;
}
