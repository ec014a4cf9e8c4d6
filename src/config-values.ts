// How each setting's raw text becomes a value: the parsers the settings table in config.ts uses. Each throws a
// SettingProblem with the reason only; loadConfig adds the env var and the offending value.

export class SettingProblem extends Error {}

export function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `${min} up` : `${min} to ${max}`;
      throw new SettingProblem(`must be a whole number from ${range}`);
    }
    return value;
  };
}

export function boolean(raw: string): boolean {
  const lower = raw.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
  if (['0', 'false', 'no', 'off'].includes(lower)) return false;
  throw new SettingProblem('must be true or false (also accepted: 1/0, yes/no, on/off)');
}

export function oneOf<T extends string>(...values: T[]) {
  return (raw: string): T => {
    if ((values as string[]).includes(raw)) return raw as T;
    throw new SettingProblem(`must be one of: ${values.join(', ')}`);
  };
}

export function text(raw: string): string {
  return raw;
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

export function byteSize(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(raw);
  const bytes = match ? Math.floor(Number(match[1]) * (SIZE_UNITS[(match[2] ?? 'b').toLowerCase()] ?? 1)) : 0;
  if (bytes < 1) throw new SettingProblem('must be a size such as 2mb, 512kb or 1048576 (bytes)');
  return bytes;
}

export function url(...protocols: string[]) {
  return (raw: string): string => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new SettingProblem(`must be a URL starting with ${protocols.join(' or ')}`);
    }
    if (!protocols.includes(parsed.protocol.replace(/:$/, '://'))) {
      throw new SettingProblem(`must be a URL starting with ${protocols.join(' or ')}`);
    }
    return raw;
  };
}

export function directoryList(raw: string): string[] {
  const dirs = raw.split(',').map((dir) => dir.trim()).filter(Boolean);
  if (dirs.some((dir) => !dir.startsWith('/'))) throw new SettingProblem('must be a comma-separated list of absolute directories');
  return dirs;
}

export function hexKey(raw: string): string {
  // A Curve25519 public key: 32 bytes, or 33 with the 0x05 type prefix libsignal adds.
  if (!/^([0-9a-f]{64}|05[0-9a-f]{64})$/i.test(raw)) {
    throw new SettingProblem('must be the sandbox root public key as 64 hex characters (32 bytes)');
  }
  return raw.toLowerCase();
}

export function countryCode(raw: string): string {
  const digits = raw.replace(/^\+/, '');
  if (!/^[1-9]\d{0,2}$/.test(digits)) throw new SettingProblem('must be 1 to 3 digits without a leading 0, e.g. 62 or 1');
  return digits;
}

export function nodeName(raw: string): string {
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(raw)) {
    throw new SettingProblem('must be 1 to 128 letters, digits or . _ : - (e.g. a host or pod name)');
  }
  return raw;
}

export function secretKey(raw: string): string {
  if (raw.length < 16) throw new SettingProblem('must be at least 16 characters long');
  return raw;
}
