/**
 * `npm run token`: mint an operator or member token with RELAY_SECRET and print it alone on stdout, or write it to
 * `--out FILE` (mode 0600).
 */
import { closeSync, fchmodSync, openSync, writeSync } from 'node:fs';
import { MIN_SECRET_LENGTH } from '../config.js';
import { signMemberToken, signOperatorToken } from '../auth/tokens.js';
import { TOKEN_USAGE, parseTokenArgs } from './args.js';

const parsed = parseTokenArgs(process.argv.slice(2));
if (!parsed.ok) {
  if (parsed.help) {
    process.stdout.write(TOKEN_USAGE);
    process.exit(0);
  }
  for (const e of parsed.errors) process.stderr.write(`token: ${e}\n`);
  process.stderr.write(TOKEN_USAGE);
  process.exit(2);
}
const secret = process.env.RELAY_SECRET;
if (!secret || secret.length < MIN_SECRET_LENGTH) {
  process.stderr.write(
    `token: RELAY_SECRET must be set (at least ${MIN_SECRET_LENGTH} characters), the relay's secret\n`,
  );
  process.exit(2);
}
const request = parsed.value;
const token =
  request.role === 'operator'
    ? await signOperatorToken(secret, {
        sub: request.id,
        members: request.members,
        ttlSeconds: request.ttlSeconds,
      })
    : await signMemberToken(secret, { uid: request.uid, ttlSeconds: request.ttlSeconds });
if (request.out === undefined) {
  process.stdout.write(`${token}\n`);
} else {
  try {
    writePrivateFile(request.out, `${token}\n`);
  } catch (error) {
    process.stderr.write(`token: cannot write ${request.out}: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stderr.write(`token: wrote the ${request.role} token to ${request.out} (mode 0600)\n`);
}

/** Create or replace `path` readable by its owner only, also when it existed with a wider mode. */
function writePrivateFile(path: string, text: string): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
