// The private redis-server starter lives with the scripts that use it outside tests (npm run demo).
export * from '../../scripts/lib/redis-server.js';
