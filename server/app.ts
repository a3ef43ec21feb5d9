/**
 * The composition root: Voronka with every module (server/modules/index.ts), started by platform/bootstrap.ts.
 * Used by `voronka serve`, by tests (one app per test database) and by benchmarks.
 */
import type { Config } from './config.js';
import { createLogger, startServer, type Boot, type Server, type ServerOptions } from './platform/bootstrap.js';
import { modules as allModules } from './modules/index.js';

export { createLogger, type Server, type ServerOptions };

export const createServer: Boot = (config: Config, opts: ServerOptions = {}) => startServer(config, opts.modules ?? allModules, opts);
