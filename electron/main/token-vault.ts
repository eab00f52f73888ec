/**
 * The operator token at rest, encrypted with Electron's safeStorage (Keychain, DPAPI, libsecret). Where the OS
 * offers no encryption the token is kept in memory for this run only rather than written in clear.
 */
import { safeStorage } from 'electron';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { TokenVault } from '../core/station.js';

export function safeStorageVault(dir: string, logger: Logger): TokenVault {
  const file = join(dir, 'operator-token.bin');
  let memory: string | undefined;
  let loaded = false;

  return {
    async get() {
      if (loaded) return memory;
      loaded = true;
      if (!safeStorage.isEncryptionAvailable()) return memory;
      try {
        memory = safeStorage.decryptString(await readFile(file));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          logger.warn({ err: error }, 'stored operator token could not be decrypted; set it again');
        }
      }
      return memory;
    },
    async set(token) {
      memory = token;
      loaded = true;
      if (!safeStorage.isEncryptionAvailable()) {
        logger.warn('OS encryption unavailable: the operator token is kept for this run only');
        await rm(file, { force: true });
        return;
      }
      const tmp = `${file}.tmp`;
      await writeFile(tmp, safeStorage.encryptString(token), { mode: 0o600 });
      await rename(tmp, file);
    },
  };
}
