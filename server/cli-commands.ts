import type { Command } from 'commander';

/** Commands contributed by modules (demo, backup, restore, import); each adds one entry. */
export const commands: ((program: Command) => void)[] = [];
