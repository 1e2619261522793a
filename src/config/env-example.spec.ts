import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentVariableNames, validateEnv } from './env.validation';

/** `KEY=value` lines of .env.example, commented out (`# KEY=`: no default) or not. */
function exampleEntries(): { key: string; value: string; commented: boolean }[] {
  const text = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');
  // A value in double quotes (one with spaces, so that a shell can source the file) means what is inside.
  return [...text.matchAll(/^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => ({ key: m[2], value: m[3].replace(/^"(.*)"$/, '$1'), commented: m[1] !== undefined }));
}

describe('.env.example', () => {
  it('lists exactly the variables of EnvironmentVariables, each once', () => {
    const keys = exampleEntries().map((e) => e.key);
    expect(keys.length).toBe(new Set(keys).size);
    expect([...keys].sort()).toEqual(environmentVariableNames().sort());
  });

  it('gives each variable it sets the default the service applies', () => {
    const defaults = validateEnv({}) as unknown as Record<string, unknown>;
    for (const entry of exampleEntries().filter((e) => !e.commented)) {
      expect([entry.key, entry.value]).toEqual([entry.key, String(defaults[entry.key])]);
    }
  });
});
