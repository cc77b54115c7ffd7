/**
 * Large files read without a large block of the C heap. glibc's malloc (Linux) serves a block of 128 KiB
 * or more with its own mmap, and when such a block is freed it raises that threshold to the block's size
 * for good, and with it how much free memory each malloc arena keeps instead of giving it back (twice the
 * threshold). V8's four worker threads each have an arena, which compiling code and collecting garbage
 * fill: one 720 KB store file read and let go, and each arena kept up to 1.4 MB free, 4-8 MB of an idle
 * dashboard in all (`npm run bench`, memory, with /proc/<pid>/smaps and malloc_info; the bare Ink hello's
 * arenas held 0.7 MB). Read into memory V8 maps itself, no such block is freed.
 */
import fs from 'node:fs';

/** Files smaller than this are read as usual: well below glibc's starting threshold (128 KiB). */
export const PIECE_BYTES = 64 * 1024;

/**
 * A UTF-8 file's text, its bytes read into memory outside malloc (Node's readFileSync(file, 'utf8') grows
 * one std::string through 256 KB, 512 KB and 1 MB blocks for dist/ui.cjs, and frees them).
 */
export function readTextOutsideMalloc(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    return readBytesOutsideMalloc(fd).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** WebAssembly's page: the unit a WebAssembly.Memory grows by. */
const WASM_PAGE = 64 * 1024;

/** The one part of WebAssembly used here (the project's TypeScript libraries do not declare it). */
const wasm = (
  globalThis as unknown as {
    WebAssembly: { Memory: new (o: { initial: number }) => { buffer: ArrayBuffer } };
  }
).WebAssembly;

/**
 * An open file's bytes, from its start, as one Buffer (`size`: its fstat size, when the caller has it).
 * One of PIECE_BYTES or more lives in a WebAssembly.Memory: V8 maps that memory itself and unmaps it when
 * it is collected, so malloc never sees it. Where V8 cannot make one (an address-space limit: it reserves
 * guard pages), a plain read.
 */
export function readBytesOutsideMalloc(fd: number, size = fs.fstatSync(fd).size): Buffer {
  if (size < PIECE_BYTES) return fs.readFileSync(fd);
  let bytes: Buffer;
  try {
    const memory = new wasm.Memory({ initial: Math.ceil(size / WASM_PAGE) });
    bytes = Buffer.from(memory.buffer, 0, size);
  } catch {
    return fs.readFileSync(fd);
  }
  let at = 0;
  while (at < size) {
    const read = fs.readSync(fd, bytes, at, size - at, at);
    if (read === 0) break;
    at += read;
  }
  // Files are replaced whole (written aside, then renamed), not grown: the size read first is the size.
  // (readFileSync(fd) to check for more would allocate that size again, from malloc.)
  return at === size ? bytes : bytes.subarray(0, at);
}
