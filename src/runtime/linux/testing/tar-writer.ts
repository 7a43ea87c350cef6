// Test support: writes small ustar archives byte by byte, including members real tools would
// refuse to create (absolute paths, `..`, device nodes), to test what importImage rejects.

export interface TarEntry {
  name: string;
  /** '0' file, '1' hard link, '2' symlink, '3' char device, '5' directory. */
  type: '0' | '1' | '2' | '3' | '5';
  content?: string;
  linkName?: string;
  mode?: number;
}

const block = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(entry: TarEntry, size: number): Buffer {
  const buffer = Buffer.alloc(block);
  buffer.write(entry.name, 0, 100, 'utf8');
  buffer.write(octal(entry.mode ?? (entry.type === '5' ? 0o755 : 0o644), 8), 100);
  buffer.write(octal(0, 8), 108);
  buffer.write(octal(0, 8), 116);
  buffer.write(octal(size, 12), 124);
  buffer.write(octal(1_700_000_000, 12), 136);
  buffer.write('        ', 148);
  buffer.write(entry.type, 156);
  buffer.write(entry.linkName ?? '', 157, 100, 'utf8');
  buffer.write('ustar\0' + '00', 257);
  if (entry.type === '3') {
    buffer.write(octal(1, 8), 329);
    buffer.write(octal(3, 8), 337);
  }
  let sum = 0;
  for (const byte of buffer) sum += byte;
  buffer.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return buffer;
}

export function tarBytes(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const content = Buffer.from(entry.content ?? '', 'utf8');
    parts.push(header(entry, entry.type === '0' ? content.length : 0));
    if (entry.type === '0' && content.length > 0) {
      parts.push(content, Buffer.alloc((block - (content.length % block)) % block));
    }
  }
  parts.push(Buffer.alloc(block * 2));
  return Buffer.concat(parts);
}
