// Lets a sweep worker thread run miniku's TypeScript sources directly, for when the CLI itself
// runs from src/ (vitest, development) rather than from the compiled dist/. Node 20 cannot load
// .ts files, so the worker registers these module hooks first: `x.js` imports that do not exist
// resolve to `x.ts`, and .ts files are transpiled (types erased, nothing checked) with the
// project's TypeScript. Output is cached on disk by content, so only the first worker pays.
//
// The hooks are JavaScript source text: they must load before anything can be transpiled.

/** The module hooks; `initialize` gets `{ typescriptUrl, typescriptVersion, cacheDir }`. */
export const tsLoaderSource = `
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { threadId } from 'node:worker_threads';
let ts;
let typescriptUrl;
let typescriptVersion;
let cacheDir;
export async function initialize(data) {
  typescriptUrl = data.typescriptUrl;
  typescriptVersion = data.typescriptVersion;
  cacheDir = data.cacheDir;
  await mkdir(cacheDir, { recursive: true });
}
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const fromTs = typeof context.parentURL === 'string' && context.parentURL.endsWith('.ts');
    const missing = error?.code === 'ERR_MODULE_NOT_FOUND';
    if (!fromTs || !missing || !specifier.endsWith('.js')) throw error;
    return next(specifier.slice(0, -3) + '.ts', context);
  }
}
const options = {
  module: 'ESNext', target: 'ES2022', verbatimModuleSyntax: true, sourceMap: false,
};
async function transpiled(url, source) {
  const key = createHash('sha256')
    .update(typescriptVersion + '\\0' + JSON.stringify(options) + '\\0' + source)
    .digest('hex');
  const cached = cacheDir + '/' + key + '.js';
  try {
    return await readFile(cached, 'utf8');
  } catch {}
  ts ??= (await import(typescriptUrl)).default;
  const compilerOptions = ts.convertCompilerOptionsFromJson(options, '').options;
  const output = ts.transpileModule(source, { fileName: url, compilerOptions }).outputText;
  const temporary = cached + '.' + process.pid + '-' + threadId + '.tmp';
  await writeFile(temporary, output);
  await rename(temporary, cached);
  return output;
}
export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const source = await readFile(new URL(url), 'utf8');
  return { format: 'module', source: await transpiled(url, source), shortCircuit: true };
}
`;

/** CommonJS bootstrap of an eval'd worker: registers the hooks, then imports the entry. */
export const tsWorkerBootstrap = `
const { register } = require('node:module');
const { workerData } = require('node:worker_threads');
register('data:text/javascript,' + encodeURIComponent(workerData.tsLoader.source), {
  data: {
    typescriptUrl: workerData.tsLoader.typescriptUrl,
    typescriptVersion: workerData.tsLoader.typescriptVersion,
    cacheDir: workerData.tsLoader.cacheDir,
  },
});
import(workerData.tsLoader.entry).catch((error) => {
  require('node:worker_threads').parentPort.postMessage({ kind: 'fatal', message: String(error) });
});
`;
