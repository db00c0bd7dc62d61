import { z } from 'zod';
import path from 'node:path';

// All configuration comes from the environment and is validated once at start-up.
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  /** Key that seals chain entries (HMAC). Kept outside the database so that a database writer cannot forge seals. */
  SEAL_KEY: z.string().min(32, 'SEAL_KEY must be at least 32 characters').optional(),
  SEED_DEMO: z.enum(['auto', 'yes', 'no']).default('auto'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SECURE_COOKIES: z.enum(['auto', 'yes', 'no']).default('auto'),
  EMERGENCY_ACCESS_HOURS: z.coerce.number().positive().max(72).default(4),
  SESSION_HOURS: z.coerce.number().positive().max(24).default(10),
  /** How often the deadline timers look for due jobs; pg-boss allows no less than half a second. */
  TIMER_POLL_SECONDS: z.coerce.number().min(0.5).max(300).default(2),
  /** How often the absence red-flag rules (a child not seen, a timescale breached) are evaluated. */
  SIGNAL_SWEEP_SECONDS: z.coerce.number().int().min(1).max(86400).default(900),
});

export type Config = z.infer<typeof schema> & { dataDir: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR) };
}
