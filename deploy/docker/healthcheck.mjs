// The container's HEALTHCHECK: exit 0 when the relay in this container answers /readyz with 200, else 1.
// Plain Node (the slim image has no curl); reads the same RELAY_PORT the relay listens on.
const port = Number(process.env.RELAY_PORT || 30582);
const timeout = AbortSignal.timeout(2500);
try {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: timeout });
  const body = await response.text();
  if (!response.ok) console.error(`readyz ${response.status} ${body}`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`readyz unreachable: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
