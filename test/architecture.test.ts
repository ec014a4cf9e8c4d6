// The layering rules, checked on every source file's imports:
// - core takes plain typed input: nothing under src/core imports src/http or Fastify;
// - the engine knows neither HTTP, core nor the store: nothing under src/engine imports them;
// - one port to WhatsApp: only src/engine/baileys and src/sandbox import `baileys`;
// - the sandbox speaks the wire with Baileys' pure helpers (binary codec, protobufs, Signal and crypto helpers,
//   message encoders), never with a Baileys socket: no default import (makeWASocket), no name containing
//   "Socket", no deep import of baileys/lib/Socket.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Import {
  specifier: string;
  /** the bindings between `import` and `from` (empty for a side-effect or dynamic import) */
  clause: string;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?([\s\S]*?)\s*from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(source: string): Import[] {
  return [...source.matchAll(IMPORT)].map((m) => ({ clause: m[1] ?? '', specifier: m[2] ?? m[3]! }));
}

/** The repo-relative path a relative specifier points at; bare package names as they are. */
function target(file: string, specifier: string): string {
  return specifier.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), specifier)) : specifier;
}

const isBaileys = (specifier: string) => specifier === 'baileys' || specifier.startsWith('baileys/');
const under = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

/** What a file may not import, as messages; `file` is repo-relative. */
export function violations(file: string, source: string): string[] {
  const found: string[] = [];
  for (const { specifier, clause } of importsOf(source)) {
    const to = target(file, specifier);
    if (under(file, 'src/core') && (under(to, 'src/http') || to === 'fastify' || to.startsWith('@fastify/'))) {
      found.push(`${file} imports ${specifier}: core must not depend on HTTP`);
    }
    if (under(file, 'src/engine') && ['src/core', 'src/http', 'src/store'].some((layer) => under(to, layer))) {
      found.push(`${file} imports ${specifier}: the engine knows neither core, HTTP nor the store`);
    }
    if (!isBaileys(specifier)) continue;
    if (!under(file, 'src/engine/baileys') && !under(file, 'src/sandbox')) {
      found.push(`${file} imports ${specifier}: only src/engine/baileys (and the sandbox's wire helpers) may import baileys`);
    }
    if (under(file, 'src/sandbox')) {
      const bindings = clause.replace(/\btype\s+/g, '');
      const defaultImport = bindings !== '' && !bindings.trimStart().startsWith('{') && !bindings.trimStart().startsWith('*');
      if (defaultImport || /Socket/.test(bindings) || /\/Socket\b/.test(specifier) || clause.includes('*')) {
        found.push(`${file} imports a Baileys socket (${bindings.trim() || specifier}): the sandbox must speak the wire itself`);
      }
    }
  }
  return found;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('architecture', () => {
  it('every file under src/ keeps the layering rules', () => {
    const files = sourceFiles('src');
    assert.ok(files.length > 100, 'the scan found the source tree');
    assert.deepEqual(files.flatMap((file) => violations(file, readFileSync(join(ROOT, file), 'utf8'))), []);
  });

  it('finds the violations it is meant to find', () => {
    assert.equal(violations('src/core/groups/x.ts', "import { readGroupId } from '../../http/params.js';").length, 1);
    assert.equal(violations('src/core/x.ts', "import type { FastifyRequest } from 'fastify';").length, 1);
    assert.equal(violations('src/core/x.ts', "import {\n  a,\n  b\n} from '../http/params.js';").length, 1, 'multi-line imports');
    assert.equal(violations('src/engine/x.ts', "import { db } from '../store/database.js';").length, 1);
    assert.equal(violations('src/http/x.ts', "import { proto } from 'baileys';").length, 1);
    assert.equal(violations('src/sandbox/x.ts', "import makeWASocket from 'baileys';").length, 1);
    assert.equal(violations('src/sandbox/x.ts', "import { makeWASocket, proto } from 'baileys';").length, 1);
    assert.equal(violations('src/sandbox/x.ts', "import * as B from 'baileys';").length, 1);
    assert.equal(violations('src/sandbox/x.ts', "import { Curve, proto, type BinaryNode } from 'baileys';").length, 0);
    assert.equal(violations('src/core/x.ts', "import { GatewayError } from './errors.js';").length, 0);
    assert.equal(violations('src/engine/baileys/x.ts', "import makeWASocket from 'baileys';").length, 0);
  });
});
