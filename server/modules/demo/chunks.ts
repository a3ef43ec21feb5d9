/**
 * The stream of generated chunks. From the built bundle (`node dist/voronka.js demo`) the generator runs on a
 * worker thread, so generating (one core) and writing to the database (the other core) overlap; from the
 * TypeScript sources (tests) it runs inline. Either way the chunks are the same: the generator is pure.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { DemoGenerator, type DemoReference, type GeneratorOptions } from './generator.js';
import type { Rows } from './tables.js';

export interface Chunk {
  rows: Rows;
  /** Clients (deals) of the run generated so far, when this chunk ends a batch of them. */
  clientsDone?: number;
  dealsDone?: number;
}

/** The management tasks, then clients, then deals, `size` at a time. */
export function* generateChunks(gen: DemoGenerator, clients: number, deals: number, size: number): Generator<Chunk> {
  yield { rows: gen.managementTasks() };
  for (let i = 0; i < clients; i += size) {
    const end = Math.min(clients, i + size);
    yield { rows: gen.clients(i, end), clientsDone: end };
  }
  for (let j = 0; j < deals; j += size) {
    const end = Math.min(deals, j + size);
    yield { rows: gen.deals(j, end), dealsDone: end };
  }
}

/** Chunks the worker may generate ahead of the writer. */
const AHEAD = 8;

interface WorkerInput {
  opts: GeneratorOptions;
  ref: DemoReference;
  size: number;
  /** [unused, chunks consumed by the writer] */
  shared: Int32Array;
}

/** True when running from the built bundle, where a worker can load this same file. */
export function workerAvailable(): boolean {
  return import.meta.url.endsWith('.js') && process.env.VORONKA_DEMO_WORKER !== '0';
}

export async function* chunks(
  opts: GeneratorOptions,
  ref: DemoReference,
  size: number,
  useWorker = workerAvailable(),
): AsyncGenerator<Chunk> {
  if (!useWorker) {
    yield* generateChunks(new DemoGenerator(opts, ref), opts.clients, opts.deals, size);
    return;
  }
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const input: WorkerInput = { opts, ref, size, shared };
  // An eval worker importing the bundle: its process.argv[1] is not the CLI's, so the bundle does not start the CLI.
  const worker = new Worker(`import(${JSON.stringify(import.meta.url)})`, {
    eval: true,
    workerData: { voronkaDemo: input },
    // A roomy young generation: the generator's garbage dies young.
    resourceLimits: { maxYoungGenerationSizeMb: 96 },
  });
  const queue: Chunk[] = [];
  let finished = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  worker.on('message', (m: Chunk | 'end') => {
    if (m === 'end') finished = true;
    else queue.push(m);
    signal();
  });
  worker.on('error', (err) => {
    failure = err;
    signal();
  });
  worker.on('exit', (code) => {
    if (!finished && !failure) failure = new Error(`Генератор демо-данных завершился с кодом ${code}`);
    signal();
  });
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk) {
        yield chunk;
        Atomics.add(shared, 1, 1);
        Atomics.notify(shared, 1);
        continue;
      }
      if (failure) throw failure;
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    await worker.terminate();
  }
}

// The worker side: runs when this module is loaded by the worker started above.
if (!isMainThread && (workerData as { voronkaDemo?: WorkerInput } | null)?.voronkaDemo) {
  const { opts, ref, size, shared } = (workerData as { voronkaDemo: WorkerInput }).voronkaDemo;
  let produced = 0;
  for (const chunk of generateChunks(new DemoGenerator(opts, ref), opts.clients, opts.deals, size)) {
    for (let consumed = Atomics.load(shared, 1); produced - consumed >= AHEAD; consumed = Atomics.load(shared, 1)) {
      Atomics.wait(shared, 1, consumed, 1000);
    }
    parentPort!.postMessage(chunk);
    produced++;
  }
  parentPort!.postMessage('end');
}
