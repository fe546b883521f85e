// The notes' list of sites, `sites = [...] * 80`, as every download lesson
// shares it: the first `count` sites of a sites server.
import type { SitesServer } from './server.ts';

export const NOTES_SITES = 80;

export function sitesOf(server: Pick<SitesServer, 'siteUrl'>, count = NOTES_SITES): string[] {
  return Array.from({ length: count }, (_, n) => server.siteUrl(n));
}
