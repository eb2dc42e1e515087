import path from 'path';
import type { Core } from '@strapi/strapi';

/**
 * SQLite by default, so `npm run develop` needs nothing else; PostgreSQL whenever
 * DATABASE_URL is set (production, tests on PostgreSQL, the benchmark).
 */
export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Database => {
  const connectionString = env('DATABASE_URL', '');
  const pool = { min: env.int('DATABASE_POOL_MIN', 2), max: env.int('DATABASE_POOL_MAX', 10) };
  const acquireConnectionTimeout = env.int('DATABASE_CONNECTION_TIMEOUT', 10000);
  const connectTimeout = env.int('DATABASE_CONNECT_TIMEOUT', 5000);
  // PostgreSQL stops any statement of ours that runs longer (0: never). Below the pool's acquire
  // timeout, so that runaway statements free their connections before waiting requests give up.
  const statementTimeout = env.int('DATABASE_STATEMENT_TIMEOUT', 5000);

  if (connectionString) {
    const ca = env('DATABASE_SSL_CA', '');
    const ssl = env.bool('DATABASE_SSL', false)
      ? { rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true), ...(ca ? { ca } : {}) }
      : false;
    const postgres: Core.Config.Database<'postgres'> = {
      connection: {
        client: 'postgres',
        connection: {
          ...fieldsOf(connectionString),
          ssl,
          schema: env('DATABASE_SCHEMA', 'public'),
          // Fail fast when PostgreSQL's host does not answer at all (no RST, e.g. a network partition),
          // and let TCP keepalive notice pooled connections whose peer has gone.
          connectionTimeoutMillis: connectTimeout,
          keepAlive: true,
          // Sent by pg as a parameter of every new connection: it holds for every statement on it.
          ...(statementTimeout > 0 ? { statement_timeout: statementTimeout } : {}),
          // No JIT: a list's relation-tree statement (every speaker's photo, the sponsors' logos)
          // is estimated at 1.8M cost units and runs in 4 ms, and PostgreSQL spent 2 to 4 s
          // compiling it (146 functions) before running it, past the statement timeout.
          options: '-c jit=off',
        },
        // A new connection gets 1 s beyond the connect timeout for its set-up queries. Strapi's pool
        // hook never reports a connection that dies during set-up, so without this bound the pool
        // would wait the pool's (tarn's) default 30 s before it tried again.
        pool: { ...pool, createTimeoutMillis: connectTimeout + 1000 },
        acquireConnectionTimeout,
      },
    };
    return postgres;
  }

  return {
    connection: {
      client: 'sqlite',
      connection: {
        filename: path.resolve(env('DATABASE_FILENAME', path.join(__dirname, '..', '..', '.tmp', 'data.db'))),
      },
      useNullAsDefault: true,
      acquireConnectionTimeout,
    },
  };
};

/** postgres://user:password@host:port/database → the fields Strapi's config expects. */
const fieldsOf = (connectionString: string) => {
  const url = new URL(connectionString);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    database: decodeURIComponent(url.pathname.slice(1)),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
};
