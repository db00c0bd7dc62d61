import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The seal key lives outside the database (SEAL_KEY, or `<DATA_DIR>/seal.key` made on first start),
 * so someone who can write to the database still cannot forge a sealed chain.
 */
export function loadSealKey(cfg: { SEAL_KEY?: string; dataDir: string }): string {
  if (cfg.SEAL_KEY) return cfg.SEAL_KEY;
  const file = path.join(cfg.dataDir, 'seal.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(cfg.dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return fs.readFileSync(file, 'utf8').trim();
}
