// Each example says what the lab's tools need to know of it in the "lab"
// field of its own package.json: its workload group, its place in the
// reading order, its strategies, how the matrix runs it, its Python original
// and which of its strategies does the same job as which of Python's. The
// matrix, the report, `pnpm compare` and the root README's reading order all
// read it here, so adding an example touches its own folder and nothing else.
// The schema is documented in scripts/README.md ("The manifest").
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './paths.ts';

/** Command-line arguments for the matrix's two sizes. */
export interface Sizes<T = string[]> {
  /** `pnpm matrix`: the lesson's own size. */
  full: T;
  /** `pnpm matrix -- --quick`: a size that runs in seconds. */
  quick: T;
}

/** The charts a workload's section of the report draws, in order (report.ts draws each). */
export const CHARTS = [
  'waterfall',
  'time',
  'speedup',
  'lost',
  'fixes',
  'delays',
  'in-flight',
  'tail',
  'proofs',
  'rate',
  'routes',
  'probe',
] as const;
export type Chart = (typeof CHARTS)[number];

/** How a record's ideal time is reached in the matrix. */
export const IDEALS = ['as-reported', 'from-baseline', 'from-node-twin'] as const;
export type Ideal = (typeof IDEALS)[number];

/** What a workload group says once, in the manifest of one of its examples. */
export interface Group {
  /** Where the group's rows stand in the matrix table and the report, lowest first. */
  rank: number;
  /** The report section's heading. */
  title: string;
  /** The report's sources section: the group's lesson files side by side under this title and lesson. */
  family?: { title: string; lesson: string };
  /** What speedups are measured against, in each language; null where the lesson is not a speedup. */
  baseline: { node: string; python: string | null } | null;
  /**
   * The ideal the matrix shows: the example's own (as-reported); the CPU
   * model from the matrix's median baseline (from-baseline); or, for a
   * Python row, its Node twin's (from-node-twin: the same sites, the same model).
   */
  ideal: Ideal;
  charts: Chart[];
  /** The sites server the matrix starts when a cell names `{sites-server}` in its arguments. */
  sitesServer?: Sizes<{ latencyMs: number; bytes: number }>;
}

/** How the matrix runs a program: its arguments for each size, and once more beside Python. */
export interface MatrixRuns extends Sizes {
  /** The arguments instead, when the matrix runs the Python originals too. */
  withPython?: Sizes;
  /** One cell per entry, each these arguments after the size's (default: one cell, none). */
  runs?: string[][];
  /** A program that measures itself over many runs: run once, without a warm-up. */
  once?: boolean;
  /** Programs it needs on the PATH (e.g. redis-server): without one, its cells are skipped, saying why. */
  commands?: string[];
}

export interface PythonOriginal {
  /** The original, from the example's folder. */
  file: string;
  /** The modules beyond the standard library it imports (it is skipped, saying why, without them). */
  needs: string[];
  /** The strategies its records name. */
  strategies: string[];
  /** Those the lesson expects to beat the baseline. */
  gains?: string[];
  /** Those that fix the race (the report draws their rate). */
  fixes?: string[];
  /** How the matrix runs it (with --with-python); absent when the Node program runs it itself. */
  matrix?: Sizes;
  /** It joins the throughput benchmark with its default run, under this strategy's name. */
  throughput?: {
    strategy: string /** the rate the Node rows are set against, named so */;
    reference?: string;
  };
}

export interface LabManifest {
  /** The workload group its rows belong to: its group's id, said by one example of the group. */
  workload: string;
  /** Its place in the reading order, 1 first. */
  order: number;
  /** The reading-order table's row. */
  concept: string;
  lesson: string;
  command: string;
  /** The lesson files, from the example's folder, each with the Python it re-creates; the first is what `pnpm compare NAME` shows. */
  sources: { ts: string; python?: string }[];
  /** The strategies its records name, in the order it runs them. */
  strategies: string[];
  /** Those the lesson expects to beat the baseline. */
  gains?: string[];
  /** Those that fix the race (the report draws their rate). */
  fixes?: string[];
  matrix: MatrixRuns;
  python?: PythonOriginal;
  /** Node strategy -> the Python original's strategy doing the same job under the same model. */
  pairs?: Record<string, string>;
  /** It joins the throughput benchmark with its default run, under this strategy's name. */
  throughput?: { strategy: string };
  /** The group's own fields, said by exactly one example of each workload. */
  group?: Group;
}

/** One example: its name (the package's), its folder, and its manifest. */
export interface Example {
  name: string;
  dir: string;
  lab: LabManifest;
}

class ManifestError extends Error {}

/** Checks one field; every failure is one line naming the package file and the field. */
function checker(file: string) {
  const fail = (field: string, what: string): never => {
    throw new ManifestError(`${file}: lab.${field} ${what}`);
  };
  const isStrings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  return {
    fail,
    object(v: unknown, field: string) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(field, 'must be an object');
      return v as Record<string, unknown>;
    },
    string(v: unknown, field: string) {
      if (typeof v !== 'string' || v === '') fail(field, 'must be a non-empty string');
      return v as string;
    },
    number(v: unknown, field: string) {
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(field, 'must be a number');
      return v as number;
    },
    strings(v: unknown, field: string) {
      if (!isStrings(v)) fail(field, 'must be a list of strings');
      return v as string[];
    },
    sizes(v: unknown, field: string) {
      const o = this.object(v, field);
      this.strings(o.full, `${field}.full`);
      this.strings(o.quick, `${field}.quick`);
    },
    oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]) {
      if (!allowed.includes(v as T)) fail(field, `must be one of ${allowed.join(', ')}`);
      return v as T;
    },
    subset(v: unknown, field: string, of: readonly string[], whose: string) {
      for (const s of v === undefined ? [] : this.strings(v, field)) {
        if (!of.includes(s)) fail(field, `names '${s}', which is not one of ${whose}`);
      }
    },
  };
}

/** The manifest in one package.json's parsed value; throws one line naming the file and field. */
export function checkManifest(file: string, pkg: unknown, dir: string): LabManifest {
  const c = checker(file);
  const lab = c.object((pkg as { lab?: unknown } | null)?.lab, '');
  c.string(lab.workload, 'workload');
  c.number(lab.order, 'order');
  for (const key of ['concept', 'lesson', 'command'] as const) c.string(lab[key], key);
  if (!Array.isArray(lab.sources) || lab.sources.length === 0)
    c.fail('sources', 'must be a non-empty list');
  (lab.sources as unknown[]).forEach((s, i) => {
    const source = c.object(s, `sources[${i}]`);
    for (const key of ['ts', 'python'] as const) {
      if (key === 'python' && source.python === undefined) continue;
      const path = c.string(source[key], `sources[${i}].${key}`);
      if (!existsSync(join(dir, path)))
        c.fail(`sources[${i}].${key}`, `names ${path}, which is not there`);
    }
  });
  const strategies = c.strings(lab.strategies, 'strategies');
  c.subset(lab.gains, 'gains', strategies, 'lab.strategies');
  c.subset(lab.fixes, 'fixes', strategies, 'lab.strategies');
  const matrix = c.object(lab.matrix, 'matrix');
  c.sizes(matrix, 'matrix');
  if (matrix.withPython !== undefined) c.sizes(matrix.withPython, 'matrix.withPython');
  if (matrix.runs !== undefined) {
    if (!Array.isArray(matrix.runs)) c.fail('matrix.runs', 'must be a list of argument lists');
    (matrix.runs as unknown[]).forEach((run, i) => {
      c.strings(run, `matrix.runs[${i}]`);
    });
  }
  if (matrix.once !== undefined && typeof matrix.once !== 'boolean')
    c.fail('matrix.once', 'must be true or false');
  if (matrix.commands !== undefined) c.strings(matrix.commands, 'matrix.commands');
  let pythonStrategies: string[] = [];
  if (lab.python !== undefined) {
    const python = c.object(lab.python, 'python');
    const file = c.string(python.file, 'python.file');
    if (!existsSync(join(dir, file))) c.fail('python.file', `names ${file}, which is not there`);
    c.strings(python.needs, 'python.needs');
    pythonStrategies = c.strings(python.strategies, 'python.strategies');
    c.subset(python.gains, 'python.gains', pythonStrategies, 'lab.python.strategies');
    c.subset(python.fixes, 'python.fixes', pythonStrategies, 'lab.python.strategies');
    if (python.matrix !== undefined) c.sizes(python.matrix, 'python.matrix');
    if (python.throughput !== undefined) {
      const t = c.object(python.throughput, 'python.throughput');
      c.string(t.strategy, 'python.throughput.strategy');
      if (t.reference !== undefined) c.string(t.reference, 'python.throughput.reference');
    }
  }
  if (lab.pairs !== undefined) {
    const pairs = c.object(lab.pairs, 'pairs');
    for (const [node, python] of Object.entries(pairs)) {
      if (!strategies.includes(node)) c.fail(`pairs.${node}`, 'is not one of lab.strategies');
      if (!pythonStrategies.includes(python as string)) {
        c.fail(
          `pairs.${node}`,
          `names '${String(python)}', which is not one of lab.python.strategies`,
        );
      }
    }
  }
  if (lab.throughput !== undefined) {
    c.string(c.object(lab.throughput, 'throughput').strategy, 'throughput.strategy');
  }
  if (lab.group !== undefined) checkGroup(c, lab.group);
  return lab as unknown as LabManifest;
}

function checkGroup(c: ReturnType<typeof checker>, value: unknown) {
  const group = c.object(value, 'group');
  c.number(group.rank, 'group.rank');
  c.string(group.title, 'group.title');
  if (group.family !== undefined) {
    const family = c.object(group.family, 'group.family');
    c.string(family.title, 'group.family.title');
    c.string(family.lesson, 'group.family.lesson');
  }
  if (group.baseline !== null) {
    const baseline = c.object(group.baseline, 'group.baseline');
    c.string(baseline.node, 'group.baseline.node');
    if (baseline.python !== null) c.string(baseline.python, 'group.baseline.python');
  }
  c.oneOf(group.ideal, 'group.ideal', IDEALS);
  c.strings(group.charts, 'group.charts').forEach((chart, i) => {
    c.oneOf(chart, `group.charts[${i}]`, CHARTS);
  });
  if (group.sitesServer !== undefined) {
    const server = c.object(group.sitesServer, 'group.sitesServer');
    for (const size of ['full', 'quick'] as const) {
      const s = c.object(server[size], `group.sitesServer.${size}`);
      c.number(s.latencyMs, `group.sitesServer.${size}.latencyMs`);
      c.number(s.bytes, `group.sitesServer.${size}.bytes`);
    }
  }
}

/**
 * Every example's manifest, in reading order: each examples/<name>/package.json
 * with a "lab" field. Checks what one manifest cannot: two examples at one
 * place in the order, a workload whose group no example declares, or two
 * that declare it.
 */
export function loadExamples(root = repoRoot): Example[] {
  const folder = join(root, 'examples');
  const examples: Example[] = [];
  for (const name of readdirSync(folder).sort()) {
    const dir = join(folder, name);
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const shown = relative(root, file);
    let pkg: { name?: string; lab?: unknown };
    try {
      pkg = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ManifestError(`${shown}: not JSON (${(error as Error).message})`);
    }
    if (pkg.lab === undefined) continue;
    examples.push({ name: pkg.name ?? name, dir, lab: checkManifest(shown, pkg, dir) });
  }
  examples.sort((a, b) => a.lab.order - b.lab.order);
  const where = (e: Example) => `${relative(root, e.dir)}/package.json`;
  examples.forEach((e, i) => {
    const before = examples[i - 1];
    if (before && before.lab.order === e.lab.order) {
      throw new ManifestError(`${where(e)}: lab.order ${e.lab.order} is ${before.name}'s too`);
    }
  });
  for (const workload of new Set(examples.map((e) => e.lab.workload))) {
    const declaring = examples.filter((e) => e.lab.workload === workload && e.lab.group);
    const first = examples.find((e) => e.lab.workload === workload)!;
    if (declaring.length === 0) {
      throw new ManifestError(
        `${where(first)}: lab.group is missing: no example of workload ${workload} declares it`,
      );
    }
    if (declaring.length > 1) {
      throw new ManifestError(
        `${where(declaring[1]!)}: lab.group: workload ${workload}'s group is declared by ${declaring[0]!.name} already`,
      );
    }
  }
  return examples;
}
