// What every lesson here downloads with: one site, its body read, as the
// notes' download_site does. The lessons differ in what they hand it.
import { type Dispatcher, request } from 'undici';

/**
 * Download one site and read its body. With a signal, aborting it closes the
 * request at once (undici destroys the connection, and the server sees it
 * closed); without one, nothing but the answer ends it.
 */
export async function download(
  url: string,
  dispatcher: Dispatcher,
  signal?: AbortSignal,
): Promise<number> {
  const { body } = await request(url, { dispatcher, signal });
  return (await body.arrayBuffer()).byteLength;
}

/** Milliseconds with one decimal, for the lines each lesson prints. */
export const ms = (value: number) => `${value.toFixed(1)} ms`;
