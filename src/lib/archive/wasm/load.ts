/** Loading the project's WebAssembly decoders (stored base64 by scripts/build-wasm.sh). */

/** Returns a memoised compile of the base64 module that `load` gives (once per page, worker or
 * process). `load` is a dynamic import, so that the module's text is fetched and parsed only
 * where it is needed: the page's own bundle is left without it (the decoders run in workers). */
export function compiler(load: () => Promise<string>): () => Promise<WebAssembly.Module> {
  let compiled: Promise<WebAssembly.Module> | null = null;
  return () => (compiled ??= load().then((text) => WebAssembly.compile(base64Bytes(text))));
}

function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Returns the NUL-terminated UTF-8 string at `at` of `memory`. */
export function cString(memory: WebAssembly.Memory, at: number): string {
  const bytes = new Uint8Array(memory.buffer);
  let end = at;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(at, end));
}
