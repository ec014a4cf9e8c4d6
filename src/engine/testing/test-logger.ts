// Test support: the engine logger for tests, silent unless ENGINE_TEST_LOG names a pino level.
import pino from 'pino';
import type { EngineLogger } from '../port.js';

export const testLogger: EngineLogger = pino({ level: process.env.ENGINE_TEST_LOG ?? 'silent' });
