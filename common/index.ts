// Shared helpers for the server and the web UI: import from 'common/index.js' or from the module itself.
export * from './requisites.js';
export * from './phone.js';
export * from './money.js';
export * from './amount-in-words.js';
export * from './dates.js';
