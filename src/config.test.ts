import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFIG_TABLE, ConfigError, databaseDialect, loadConfig, redactConfig } from './config.js';

function problems(env: Record<string, string>, argv: string[] = []): string[] {
  try {
    loadConfig(env, argv);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.port, 7308);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.dataDir, './data');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.adminKey, undefined);
    assert.equal(config.network, 'whatsapp');
    assert.equal(config.webhookAllowPrivate, false);
    assert.equal(config.webhookTimeoutMs, 10_000);
    assert.equal(config.webhookRetryHours, 24);
    assert.equal(config.webhookMaxAttempts, undefined, 'the retry window alone decides');
    assert.equal(config.webhookBackoffBaseMs, 1_000);
    assert.equal(config.webhookBackoffMaxMs, 900_000);
    assert.equal(config.nodeId, undefined, 'the dispatcher uses the host name');
    assert.equal(config.inviteMinIntervalSeconds, 60);
    assert.equal(config.bodyLimitBytes, 2 * 1024 * 1024);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.defaultCountryCode, undefined, 'no silent 62');
    assert.equal(databaseDialect(config), 'sqlite');
  });

  it('reads env vars, treating empty values as unset', () => {
    const config = loadConfig({
      PORT: '8080', DATABASE_URL: 'postgres://u:p@db/waygate', WAYGATE_BODY_LIMIT: '512kb', WAYGATE_WEBHOOK_ALLOW_PRIVATE: 'yes',
      WAYGATE_DEFAULT_COUNTRY_CODE: '+62', LOG_LEVEL: 'debug', HOST: '',
    });
    assert.equal(config.port, 8080);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.bodyLimitBytes, 512 * 1024);
    assert.equal(config.webhookAllowPrivate, true);
    assert.equal(config.defaultCountryCode, '62');
    assert.equal(databaseDialect(config), 'postgres');
  });

  it('lets flags override env, in both --flag value and --flag=value forms', () => {
    const config = loadConfig({ PORT: '8080' }, ['start', '--port=9000', '--sandbox', '--data-dir', '/tmp/x']);
    assert.equal(config.port, 9000);
    assert.equal(config.network, 'sandbox');
    assert.equal(config.dataDir, '/tmp/x');
  });

  it('reports every problem at once, naming the variable and the value', () => {
    const found = problems({ PORT: 'abc', WAYGATE_NETWORK: 'mars', WAYGATE_BODY_LIMIT: 'huge' });
    assert.equal(found.length, 3);
    assert.match(found[0]!, /^PORT must be a whole number from 0 to 65535 \(got "abc"\)$/);
    assert.match(found[1]!, /WAYGATE_NETWORK must be one of: whatsapp, sandbox/);
    assert.match(found[2]!, /WAYGATE_BODY_LIMIT must be a size/);
  });

  it('reads the webhook retry schedule and the node id', () => {
    const config = loadConfig({
      WAYGATE_WEBHOOK_RETRY_HOURS: '72', WAYGATE_WEBHOOK_MAX_ATTEMPTS: '500', WAYGATE_WEBHOOK_BACKOFF_BASE_MS: '2000',
      WAYGATE_WEBHOOK_BACKOFF_MAX_MS: '600000', WAYGATE_NODE_ID: 'gw-2.eu-west',
    });
    assert.deepEqual(
      [config.webhookRetryHours, config.webhookMaxAttempts, config.webhookBackoffBaseMs, config.webhookBackoffMaxMs, config.nodeId],
      [72, 500, 2_000, 600_000, 'gw-2.eu-west'],
    );
    assert.match(problems({ WAYGATE_NODE_ID: 'gw 2' })[0]!, /WAYGATE_NODE_ID must be 1 to 128 letters/);
    assert.match(problems({ WAYGATE_WEBHOOK_RETRY_HOURS: '1.5' })[0]!, /WAYGATE_WEBHOOK_RETRY_HOURS must be a whole number from 0 to 720/);
  });

  it('never echoes a secret in an error', () => {
    const [problem] = problems({ WAYGATE_ADMIN_KEY: 'short-secret' });
    assert.match(problem!, /WAYGATE_ADMIN_KEY must be at least 16 characters/);
    assert.doesNotMatch(problem!, /short-secret/);
  });

  it('rejects unknown flags and flags without values', () => {
    assert.match(problems({}, ['--prot', '1'])[0]!, /unknown flag --prot/);
    assert.match(problems({}, ['--port'])[0]!, /--port needs a value/);
    assert.match(problems({}, ['--sandbox=yes'])[0]!, /--sandbox takes no value/);
  });

  it('checks settings that depend on each other', () => {
    assert.match(problems({ WAYGATE_RECONNECT_BASE_MS: '5000', WAYGATE_RECONNECT_MAX_MS: '1000' })[0]!, /MAX_MS must be at least/);
    assert.match(
      problems({ WAYGATE_WEBHOOK_BACKOFF_BASE_MS: '5000', WAYGATE_WEBHOOK_BACKOFF_MAX_MS: '1000' })[0]!,
      /WAYGATE_WEBHOOK_BACKOFF_MAX_MS must be at least WAYGATE_WEBHOOK_BACKOFF_BASE_MS/,
    );
    assert.match(problems({ WA_WS_URL: 'ws://127.0.0.1:9000/ws/chat' }).join('\n'), /set WAYGATE_NETWORK=sandbox/);
    assert.match(problems({ WAYGATE_NETWORK: 'sandbox', WA_WS_URL: 'ws://h/ws' })[0]!, /WA_WS_URL needs WA_TRUST_ROOT/);
    assert.match(problems({ WA_TRUST_ROOT: 'ab'.repeat(32) })[0]!, /WA_TRUST_ROOT only applies/);
    const external = loadConfig({ WAYGATE_NETWORK: 'sandbox', WA_WS_URL: 'ws://h/ws', WA_TRUST_ROOT: 'AB'.repeat(32) });
    assert.equal(external.waTrustRoot, 'ab'.repeat(32));
    assert.match(problems({ WA_WS_URL: 'http://h', WAYGATE_NETWORK: 'sandbox' })[0]!, /WA_WS_URL must be a URL starting with ws:\/\/ or wss:\/\//);
  });

  it('masks secrets for logging', () => {
    const redacted = redactConfig(loadConfig({ WAYGATE_ADMIN_KEY: 'a'.repeat(32), DATABASE_URL: 'postgres://u:pw@db:5432/w' }));
    assert.equal(redacted.adminKey, '[redacted]');
    assert.equal(redacted.databaseUrl, 'postgres://u:redacted@db:5432/w');
    assert.equal(redacted.port, 7308);
  });
});

describe('CONFIG_TABLE', () => {
  it('documents every setting with its env var and a description', () => {
    const config = loadConfig({});
    assert.deepEqual(CONFIG_TABLE.map((row) => row.name).sort(), Object.keys(config).sort());
    assert.equal(new Set(CONFIG_TABLE.map((row) => row.env)).size, CONFIG_TABLE.length);
    for (const row of CONFIG_TABLE) {
      assert.ok(row.description.length > 0, row.name);
      assert.ok(row.default !== undefined || row.whenUnset !== undefined, `${row.name} says what unset means`);
    }
    assert.ok(CONFIG_TABLE.some((row) => row.env === 'WAYGATE_NETWORK' && row.flag === '--sandbox'));
  });
});
