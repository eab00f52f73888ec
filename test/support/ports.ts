// Shared with the scripts (npm run demo), which must not import test code.
export * from '../../scripts/lib/ports.js';
