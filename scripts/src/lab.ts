// The lab as its manifests declare it: the workload groups in the matrix's
// order, each with its examples in reading order, and what the tools ask of
// them (a group's baseline, which strategies are expected to gain, which fix
// the race, which Node strategy and which Python original do the same job).
// The throughput group is the one that is no example's: the throughput
// benchmark (throughput.ts) declares it, and runs the examples that join it.
import { basename, join } from 'node:path';
import { type Example, type Group, loadExamples } from './manifest.ts';
import { throughputGroup } from './throughput.ts';

export interface Workload {
  id: string;
  group: Group;
  /** Its examples, in reading order (none for the throughput group). */
  examples: Example[];
}

let loaded: Example[] | undefined;

/** Every example with a manifest, in reading order (read once a process). */
export function examples(): Example[] {
  loaded ??= loadExamples();
  return loaded;
}

/** The workload groups, in the order the matrix and the report show them. */
export function workloads(): Workload[] {
  const list = examples();
  const groups: Workload[] = list.flatMap((e) =>
    e.lab.group
      ? [
          {
            id: e.lab.workload,
            group: e.lab.group,
            examples: list.filter((x) => x.lab.workload === e.lab.workload),
          },
        ]
      : [],
  );
  groups.push({ id: throughputGroup.id, group: throughputGroup.group, examples: [] });
  return groups.sort((a, b) => a.group.rank - b.group.rank);
}

export function workload(id: string): Workload | undefined {
  return workloads().find((w) => w.id === id);
}

/** The example of that name (or folder), or undefined. */
export function example(name: string): Example | undefined {
  return examples().find((e) => e.name === name || basename(e.dir) === name);
}

/** An example's first lesson file (what `pnpm compare NAME` shows), or null if there is no such example. */
export function lessonFile(name: string): string | null {
  const e = example(name);
  return e ? join(e.dir, e.lab.sources[0]!.ts) : null;
}

/** The modules beyond the standard library that some Python original the matrix runs imports. */
export function pythonModules(): string[] {
  return [...new Set(examples().flatMap((e) => (e.lab.python?.matrix ? e.lab.python.needs : [])))];
}

type Language = 'node' | 'python' | 'wrk';

/** The strategies of a workload (in a language) that its lesson expects to beat the baseline. */
export function gains(id: string, language: Language): Set<string> {
  return new Set(
    (workload(id)?.examples ?? []).flatMap(
      (e) =>
        (language === 'python' ? e.lab.python?.gains : language === 'node' ? e.lab.gains : []) ??
        [],
    ),
  );
}

/** The strategies of a workload, in either language, that fix its race. */
export function fixes(id: string): Set<string> {
  return new Set(
    (workload(id)?.examples ?? []).flatMap((e) => [
      ...(e.lab.fixes ?? []),
      ...(e.lab.python?.fixes ?? []),
    ]),
  );
}

/** The strategy a record in that workload and language is measured against, or null. */
export function baseline(id: string, language: Language): string | null {
  const b = workload(id)?.group.baseline;
  if (!b) return null;
  return language === 'python' ? b.python : language === 'node' ? b.node : null;
}

export interface Pair {
  workload: string;
  node: string;
  python: string;
}

/** Every Node strategy and the Python original's that does the same job: by workload, then reading order. */
export function pairs(): Pair[] {
  return workloads().flatMap((w) =>
    w.examples.flatMap((e) =>
      Object.entries(e.lab.pairs ?? {}).map(([node, python]) => ({ workload: w.id, node, python })),
    ),
  );
}
