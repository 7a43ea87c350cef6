// Makes the built CLI entry point executable so `npx miniku` runs it directly.
import { chmodSync } from 'node:fs';
chmodSync(new URL('../dist/cli/main.js', import.meta.url), 0o755);
