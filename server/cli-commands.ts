import type { Command } from 'commander';
import { registerDemoCommand } from './modules/demo/demo.command.js';
import { registerReportsCommand } from './modules/reports/reports.command.js';

/** Commands contributed by modules (demo, backup, restore, import); each adds one entry. */
export const commands: ((program: Command) => void)[] = [registerDemoCommand, registerReportsCommand];
