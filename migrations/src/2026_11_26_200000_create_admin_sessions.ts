/**
 * Server-side admin sessions. The cookie carries a random 256-bit token; only its SHA-256 is stored, so a
 * leaked table (or backup) cannot be replayed as a login. Logout and password change delete rows, which
 * revokes a session at once (a JWT could not be revoked before it expires).
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE admin_sessions (
      id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
      admin_id uuid NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
      ip inet,
      user_agent text,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX admin_sessions_admin_idx ON admin_sessions (admin_id);
    CREATE INDEX admin_sessions_expires_idx ON admin_sessions (expires_at);
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS admin_sessions`.execute(db)
}
