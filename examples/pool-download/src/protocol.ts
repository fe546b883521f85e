// What the pool hands each member: one site to download, and how long it may take.
export interface Job {
  url: string;
  timeoutMs: number;
}
