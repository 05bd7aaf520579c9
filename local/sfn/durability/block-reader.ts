/**
 * How a compaction reads the lines it copies: in aligned blocks of 1 MiB, the latest 32 of them
 * kept. An execution's lines lie scattered over the stretch of journal written while it ran, and
 * the compactor takes executions in key order, which moves through the files about in order: a
 * few recent blocks serve nearly every read and each block is read about once. (A single window
 * that moved to each line's offset read a MiB per line once executions interleaved, and held a
 * 100,000-row round's engine for minutes.) `limit` is how far the file is completely written:
 * bytes past it are never served. A line handed out is a view on a block: copy what you keep.
 */
import * as fs from 'node:fs';

const BLOCK_BYTES = 1 << 20;
const BLOCKS_KEPT = 32;

export class BlockReader {
  /** `fileId:index` → block, least recently used first. */
  private readonly blocks = new Map<string, Buffer>();
  /** Reads from the files so far (blocks and lines read by themselves), for tests. */
  reads = 0;

  read(fd: number, fileId: number, offset: number, length: number, limit: number): Buffer {
    const index = Math.floor(offset / BLOCK_BYTES);
    const from = offset - index * BLOCK_BYTES;
    const block = this.block(fd, fileId, index, limit);
    // A line across a block's end, or past what the block could read: read by itself.
    if (from + length > block.length) {
      this.reads++;
      return readExactly(fd, fileId, offset, length);
    }
    return block.subarray(from, from + length);
  }

  private block(fd: number, fileId: number, index: number, limit: number): Buffer {
    const key = `${fileId}:${index}`;
    const kept = this.blocks.get(key);
    if (kept) {
      this.blocks.delete(key);
      this.blocks.set(key, kept);
      return kept;
    }
    const start = index * BLOCK_BYTES;
    const buffer = Buffer.allocUnsafe(BLOCK_BYTES);
    this.reads++;
    const n = fs.readSync(fd, buffer, 0, Math.max(0, Math.min(BLOCK_BYTES, limit - start)), start);
    const block = buffer.subarray(0, n);
    this.blocks.set(key, block);
    if (this.blocks.size > BLOCKS_KEPT) this.blocks.delete(this.blocks.keys().next().value as string);
    return block;
  }
}

function readExactly(fd: number, fileId: number, offset: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  const n = fs.readSync(fd, buffer, 0, length, offset);
  if (n < length) throw new Error(`journal file ${fileId}: short read at ${offset}`);
  return buffer;
}
