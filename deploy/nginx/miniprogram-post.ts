/**
 * The mini-program's own upload call (miniprogram/lib/transport.ts `postBatch`, through the wx emulation's real
 * HTTP) run once as a process: `tsx deploy/nginx/miniprogram-post.ts <url> <member token> <fixes JSON>` prints the
 * PostResult as JSON. deploy/nginx/lodestar-relay-tls.test.ts runs it with NODE_EXTRA_CA_CERTS set to its test CA,
 * as a phone trusts the public CA of a real certificate: Node's fetch takes no per-request CA.
 */
import type { IngestFix } from '../../protocol/ingest.js';
import { postBatch } from '../../miniprogram/lib/transport.js';
import { WxEmulation } from '../../miniprogram/test/wx-emulation.js';

const [url, token, fixesJson] = process.argv.slice(2);
if (!url || !token || !fixesJson) {
  process.stderr.write('usage: miniprogram-post.ts <url> <member token> <fixes JSON>\n');
  process.exit(2);
}
const result = await postBatch(new WxEmulation(), url, token, JSON.parse(fixesJson) as IngestFix[], 10_000);
process.stdout.write(`${JSON.stringify(result)}\n`);
