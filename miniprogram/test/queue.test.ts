import { describe, expect, it } from 'vitest';
import { PersistentQueue } from '../lib/queue';
import { WxEmulation } from './wx-emulation';

const options = { maxItems: 7, segmentSize: 3, prefix: 'q.' };

describe('PersistentQueue', () => {
  it('keeps order across segments and removes settled items from the front', () => {
    const emu = new WxEmulation();
    const queue = new PersistentQueue<number>(emu, options);
    for (let i = 1; i <= 5; i++) queue.push(i);
    expect(queue.peek(4)).toEqual([1, 2, 3, 4]);
    expect(queue.removeLeading((n) => n <= 2)).toBe(2);
    expect(queue.peek(10)).toEqual([3, 4, 5]);
    expect(queue.length).toBe(3);
  });

  it('stores segments separately so an append rewrites only the last one', () => {
    const emu = new WxEmulation();
    const queue = new PersistentQueue<number>(emu, options);
    for (let i = 1; i <= 7; i++) queue.push(i);
    expect(emu.getStorageSync('q.0')).toEqual([1, 2, 3]);
    expect(emu.getStorageSync('q.2')).toEqual([7]);
    const before = emu.storage.get('q.0');
    queue.push(8);
    expect(emu.storage.get('q.0')).not.toBe(before); // the bound dropped 1 from the head segment
    expect(emu.getStorageSync('q.0')).toEqual([2, 3]);
  });

  it('survives a restart: a new queue on the same storage holds the same items and drop count', () => {
    const emu = new WxEmulation();
    const queue = new PersistentQueue<number>(emu, options);
    for (let i = 1; i <= 10; i++) queue.push(i);
    queue.removeLeading((n) => n === 4);
    const restarted = new PersistentQueue<number>(WxEmulation.withStorage(emu.storage), options);
    expect(restarted.peek(100)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(restarted.dropped).toBe(3);
  });

  it('drops the oldest past the bound and counts each drop', () => {
    const emu = new WxEmulation();
    const queue = new PersistentQueue<number>(emu, options);
    for (let i = 1; i <= 20; i++) queue.push(i);
    expect(queue.length).toBe(7);
    expect(queue.peek(100)).toEqual([14, 15, 16, 17, 18, 19, 20]);
    expect(queue.dropped).toBe(13);
    // Emptied segments are removed from storage, not left behind.
    const keys = [...emu.storage.keys()].filter((k) => k.startsWith('q.') && k !== 'q.meta');
    expect(keys.length).toBeLessThanOrEqual(Math.ceil(7 / 3) + 1);
  });

  it('removeLeading stops at the first item that was not sent', () => {
    const emu = new WxEmulation();
    const queue = new PersistentQueue<string>(emu, options);
    for (const s of ['a', 'b', 'c', 'd']) queue.push(s);
    const sent = new Set(['a', 'b', 'd']);
    expect(queue.removeLeading((s) => sent.has(s))).toBe(2);
    expect(queue.peek(10)).toEqual(['c', 'd']);
  });

  it('ignores unreadable storage rather than failing to start', () => {
    const emu = new WxEmulation();
    emu.setStorageSync('q.meta', { first: 'x' });
    emu.setStorageSync('q.0', 'garbage');
    const queue = new PersistentQueue<number>(emu, options);
    expect(queue.length).toBe(0);
    queue.push(1);
    expect(queue.peek(1)).toEqual([1]);
  });

  it('keeps working in memory when storage is full, and counts the failed writes', () => {
    const emu = new WxEmulation();
    const queue = new PersistentQueue<number>(emu, options);
    emu.setStorageSync = () => {
      throw new Error('setStorageSync:fail exceed storage max size 10MB');
    };
    queue.push(1);
    queue.push(2);
    expect(queue.peek(5)).toEqual([1, 2]);
    expect(queue.storageErrors).toBeGreaterThan(0);
  });
});
