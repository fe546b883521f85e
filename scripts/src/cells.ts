// What the matrix runs: every example, through its own main.ts, with the
// arguments its manifest gives for a full run or a quick one; and, with
// --with-python, the Python originals its manifest names, against the same
// embedded sites server and the same CPU job.
import { join } from 'node:path';
import { startFlags } from '@lab/harness';
import { type Workload, workloads } from './lab.ts';
import { throughputGroup } from './throughput.ts';

export interface Cell {
  workload: string;
  /** The example package whose main.ts runs (or whose python/ file, for Python). */
  example: string;
  language: 'node' | 'python';
  /** The program: a main.ts, or a Python file. */
  file: string;
  /** Node.js flags before the file: the example's own start script's (@lab/harness startFlags). */
  nodeFlags?: string[];
  args: string[];
  /** Python modules the program imports (it is skipped, and says why, without them). */
  needs?: string[];
  /** A program that measures itself over many runs (a sweep): run once, without a warm-up. */
  once?: boolean;
  /** Programs it needs on the PATH (it is skipped, and says why, without them). */
  commands?: string[];
  /** The sites server its arguments name by SERVER, started by the matrix. */
  sitesServer?: { latencyMs: number; bytes: number };
}

export interface CellOptions {
  quick: boolean;
  withPython: boolean;
  /** The sites server for the cells that name one (default: the SERVER placeholder). */
  server?: string;
}

/** Stands for the sites server's origin in a manifest's arguments until the matrix has started it. */
export const SERVER = '{sites-server}';

/** The workload ids, in the matrix's order. */
export const workloadIds = (): string[] => workloads().map((w) => w.id);

function nodeCells(w: Workload, sizes: CellOptions): Cell[] {
  const size = sizes.quick ? 'quick' : 'full';
  if (w.id === throughputGroup.id) {
    return [
      {
        workload: w.id,
        example: throughputGroup.id,
        language: 'node',
        file: throughputGroup.file,
        args: throughputGroup.matrix[size],
      },
    ];
  }
  return w.examples.flatMap(({ name, dir, lab }) => {
    const m = lab.matrix;
    // Beside Python, the arguments may differ: the downloads use the matrix's
    // one sites server, so both languages are measured against the same
    // server in the same run; the CPU job is the notes' own size.
    const args = (sizes.withPython && m.withPython ? m.withPython : m)[size];
    const nodeFlags = startFlags(dir);
    return (m.runs ?? [[]]).map((run) => ({
      workload: w.id,
      example: name,
      language: 'node' as const,
      file: join(dir, 'src', 'main.ts'),
      nodeFlags,
      args: [...args, ...run],
      ...(m.once ? { once: true } : {}),
      ...(m.commands ? { commands: m.commands } : {}),
    }));
  });
}

function pythonCells(w: Workload, sizes: CellOptions): Cell[] {
  const size = sizes.quick ? 'quick' : 'full';
  return w.examples.flatMap(({ name, dir, lab }) => {
    const python = lab.python;
    if (!python?.matrix) return [];
    return [
      {
        workload: w.id,
        example: name,
        language: 'python' as const,
        file: join(dir, python.file),
        args: python.matrix[size],
        needs: python.needs,
      },
    ];
  });
}

export function cells(sizes: CellOptions): Cell[] {
  const groups = workloads();
  const list = [
    ...groups.flatMap((w) => nodeCells(w, sizes)),
    ...(sizes.withPython ? groups.flatMap((w) => pythonCells(w, sizes)) : []),
  ];
  return list.map((cell) => {
    if (!cell.args.includes(SERVER)) return cell;
    const server = groups.find((w) => w.id === cell.workload)?.group.sitesServer;
    if (!server)
      throw new Error(
        `${cell.example}: its arguments name ${SERVER}, but its group declares no sitesServer`,
      );
    return {
      ...cell,
      args: sizes.server ? cell.args.map((a) => (a === SERVER ? sizes.server! : a)) : cell.args,
      sitesServer: server[sizes.quick ? 'quick' : 'full'],
    };
  });
}
