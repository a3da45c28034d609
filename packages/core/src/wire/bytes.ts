/**
 * `chunks` as one array of `length` bytes with a buffer of its own (a chunk may be a view of a
 * larger buffer, such as a socket read's, which the copy does not keep alive).
 *
 * @example
 * concatBytes([new Uint8Array([1, 2]), new Uint8Array([3])], 3); // Uint8Array [1, 2, 3]
 */
export function concatBytes(chunks: readonly Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
