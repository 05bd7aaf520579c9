/**
 * The copying half of a compaction (snapshot.ts), in a thread of its own so that the engine's
 * thread goes on running executions meanwhile. A job is a plan of lines in file order: each one
 * either copied from an older journal or snapshot file (its bytes, never parsed) or given as
 * text. The lines go to `<snapshot>.tmp`, each followed by a newline, and the file is fsynced and
 * closed; renaming it into place is the engine's step, once its journal is durable too.
 * Plain JavaScript: a worker starts without the host's TypeScript loader.
 */

const fs = require('node:fs');
const { parentPort } = require('node:worker_threads');

/** Lines are gathered into blocks of this size and written a block at a time. */
const BLOCK_BYTES = 1 << 20;
const NEWLINE = 0x0a;
/** In `lines`, a file id of TEXT means: the next of `texts`. */
const TEXT = -1;

parentPort.on('message', (job) => {
  try {
    const bytes = writeSnapshot(job);
    parentPort.postMessage({ id: job.id, bytes });
  } catch (error) {
    fs.rmSync(job.path, { force: true });
    parentPort.postMessage({ id: job.id, error: error instanceof Error ? error.stack : String(error) });
  }
});

/** Writes the job's lines to `job.path`; returns the bytes written. */
function writeSnapshot({ path, files, lines, texts }) {
  const sources = new Map();
  const out = fs.openSync(path, 'w');
  const block = Buffer.allocUnsafe(BLOCK_BYTES);
  let used = 0;
  let written = 0;
  let nextText = 0;
  const flush = () => {
    writeAll(out, block, used);
    written += used;
    used = 0;
  };
  try {
    for (let i = 0; i < lines.length; i += 3) {
      const fileId = lines[i];
      const text = fileId === TEXT ? texts[nextText++] : undefined;
      const length = text === undefined ? lines[i + 2] : Buffer.byteLength(text, 'utf8');
      if (used + length + 1 > BLOCK_BYTES) flush();
      // A line longer than a block gets a buffer of its own, written at once.
      const target = length + 1 > BLOCK_BYTES ? Buffer.allocUnsafe(length + 1) : block;
      const at = target === block ? used : 0;
      if (text !== undefined) target.write(text, at, 'utf8');
      else readExactly(sourceFd(sources, files, fileId), target, at, length, lines[i + 1], fileId);
      target[at + length] = NEWLINE;
      if (target === block) used += length + 1;
      else {
        writeAll(out, target, length + 1);
        written += length + 1;
      }
    }
    flush();
    fs.fsyncSync(out);
    return written;
  } finally {
    fs.closeSync(out);
    for (const fd of sources.values()) fs.closeSync(fd);
  }
}

function sourceFd(sources, files, fileId) {
  let fd = sources.get(fileId);
  if (fd === undefined) {
    const file = files[fileId];
    if (file === undefined) throw new Error(`snapshot plan: no file for id ${fileId}`);
    fd = fs.openSync(file, 'r');
    sources.set(fileId, fd);
  }
  return fd;
}

function readExactly(fd, target, at, length, offset, fileId) {
  for (let done = 0; done < length; ) {
    const n = fs.readSync(fd, target, at + done, length - done, offset + done);
    if (n === 0) throw new Error(`journal file ${fileId}: short read at ${offset}`);
    done += n;
  }
}

function writeAll(fd, buffer, length) {
  for (let done = 0; done < length; ) done += fs.writeSync(fd, buffer, done, length - done, null);
}
