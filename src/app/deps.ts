import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Config } from '../config.js';

/** What use cases and routes need from the outside world; tests build their own. */
export interface Deps {
  db: Knex;
  config: Config;
  logger: Logger;
  /** The current instant; injectable so tests can move time. */
  clock: () => Date;
}
