/** Runs radiusd as its own process for the benchmark (the CLI's `mnetifi radiusd` does the same in production). */
import { createDb, createLogger } from '@mnetifi/db'
import { loadConfig } from '../src/config.js'
import { startRadiusd } from '../src/main.js'

const config = loadConfig(process.env)
const db = createDb({ connectionString: config.DATABASE_URL, max: 2, applicationName: 'radiusd:bench' })
const radiusd = await startRadiusd(config, { db, log: createLogger({ level: config.LOG_LEVEL }) })
const stop = async (): Promise<void> => { await radiusd.close(); await db.destroy(); process.exit(0) }
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())
