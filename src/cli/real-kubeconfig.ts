// Reads where a component finds the API server: a kubeconfig's current context (server URL and
// bearer token), or --server with --token / --token-file.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { MinikuError } from './errors.js';

export interface ServerAccess {
  serverUrl: string;
  bearerToken?: string;
}

type Named<T> = Array<{ name?: unknown } & T>;

interface KubeconfigShape {
  'current-context'?: unknown;
  contexts?: Named<{ context?: { cluster?: unknown; user?: unknown } }>;
  clusters?: Named<{ cluster?: { server?: unknown } }>;
  users?: Named<{ user?: { token?: unknown; tokenFile?: unknown } | null }>;
}

function bad(path: string, detail: string): MinikuError {
  return new MinikuError('E_BAD_KUBECONFIG', `Cannot use kubeconfig "${path}": ${detail}`);
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? String(error);
    throw new MinikuError('E_READ', `Cannot read ${what} "${path}": ${code}`);
  }
}

/** The current context's server and token (a `tokenFile` is read relative to the file). */
export function readKubeconfig(path: string): ServerAccess {
  let config: KubeconfigShape;
  try {
    config = (parse(readText(path, 'kubeconfig')) ?? {}) as KubeconfigShape;
  } catch (error) {
    if (error instanceof MinikuError) throw error;
    throw bad(path, 'not valid YAML');
  }
  const current = config['current-context'];
  const context = config.contexts?.find((c) => c.name === current)?.context;
  if (context === undefined) throw bad(path, `no context "${String(current)}"`);
  const cluster = config.clusters?.find((c) => c.name === context.cluster)?.cluster;
  const serverUrl = cluster?.server;
  if (typeof serverUrl !== 'string' || !serverUrl.startsWith('http://')) {
    throw bad(path, 'the cluster needs an http:// server URL');
  }
  const user = config.users?.find((u) => u.name === context.user)?.user ?? {};
  if (typeof user.token === 'string') return { serverUrl, bearerToken: user.token };
  if (typeof user.tokenFile === 'string') {
    const tokenPath = resolve(dirname(path), user.tokenFile);
    return { serverUrl, bearerToken: readText(tokenPath, 'token file').trim() };
  }
  return { serverUrl };
}

/** --server URL with an optional --token or --token-file. */
export function serverAccess(options: {
  server: string;
  token?: string;
  tokenFile?: string;
}): ServerAccess {
  if (!/^http:\/\/[^/]+/.test(options.server)) {
    const message = `Invalid value for --server: "${options.server}": expected http://HOST:PORT`;
    throw new MinikuError('E_BAD_FLAG', message);
  }
  if (options.token !== undefined) return { serverUrl: options.server, bearerToken: options.token };
  if (options.tokenFile !== undefined) {
    const bearerToken = readText(options.tokenFile, 'token file').trim();
    return { serverUrl: options.server, bearerToken };
  }
  return { serverUrl: options.server };
}
