// The matrix as the tests run it: its CLI in a process of its own.
import { execFile } from 'node:child_process';

export const matrixScript = new URL('../src/matrix.ts', import.meta.url).pathname;

/** Run the matrix CLI; resolve with its stdout (reject with its stderr). */
export const matrixCli = (args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      [matrixScript, ...args],
      { timeout: 240_000, maxBuffer: 1 << 24 },
      (error, text, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(text),
    ),
  );
