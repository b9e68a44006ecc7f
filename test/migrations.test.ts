import { describe, expect, it } from 'vitest';
import { connect, migrateToLatest, migrationConfig, migrationsCurrent } from '../src/db/connect.js';

describe('migrations', () => {
  it('apply, roll all the way back with their real down, and apply again', async () => {
    const db = connect({ memory: true });
    try {
      const applied = await migrateToLatest(db);
      expect(applied.length).toBeGreaterThan(0);
      expect(await migrationsCurrent(db)).toBe(true);
      await db.migrate.rollback(migrationConfig(), true);
      const left = await db.raw(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE 'knex_%'`);
      expect(left.rows[0].n).toBe(0);
      expect(await migrateToLatest(db)).toEqual(applied);
    } finally {
      await db.destroy();
    }
  });
});
