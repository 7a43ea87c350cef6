// Who may reach the API server: --bind-address, --token-file and --insecure-bind-any, checked.
//
// The API runs root containers, so listening beyond loopback needs bearer tokens (a static token
// file as kube-apiserver's --token-file) or an explicit --insecure-bind-any. Anything else is
// refused before the server starts, with a one-line error (exit code 2).
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { StaticTokenAuthenticator, parseTokenFile } from '../runtime/static-token-file.js';
import { MinikuError } from './errors.js';

export interface ApiServerAccessFlags {
  /** IP address to listen on; default 127.0.0.1. */
  bindAddress?: string;
  /** Static token CSV (token,user,uid[,"groups"]); every request then needs a bearer token. */
  tokenFile?: string;
  /** Allows a non-loopback address without tokens. */
  insecureBindAny?: boolean;
}

export interface ApiServerAccess {
  /** Address the server listens on. */
  bindAddress: string;
  /** Address local clients (kubeconfig, in-process components) dial: loopback for 0.0.0.0/::. */
  clientHost: string;
  /** Set when a token file is in use: the server's request check. */
  authenticate?: (authorization: string | undefined) => boolean;
  /** The token file's first token, for the kubeconfig and the in-process clients. */
  clientToken?: string;
}

export const defaultBindAddress = '127.0.0.1';

/** An IPv6 address in its canonical compressed form (`::1`, `::ffff:7f00:1`). */
function canonicalIpv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

/** 127.0.0.0/8, ::1 and IPv4-mapped 127.x. */
export function isLoopbackAddress(address: string): boolean {
  if (isIP(address) === 4) return address.startsWith('127.');
  if (isIP(address) !== 6) return false;
  const canonical = canonicalIpv6(address);
  return canonical === '::1' || /^::ffff:7f[0-9a-f]{2}:/.test(canonical);
}

function clientHostFor(bindAddress: string): string {
  if (bindAddress === '0.0.0.0') return '127.0.0.1';
  if (isIP(bindAddress) === 6 && canonicalIpv6(bindAddress) === '::') return '::1';
  return bindAddress;
}

/** `host:port`, brackets around an IPv6 host. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** `http://host:port`. */
export function hostUrl(host: string, port: number): string {
  return `http://${hostPort(host, port)}`;
}

function loadTokens(path: string): {
  authenticate: ApiServerAccess['authenticate'];
  first: string;
} {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as { code?: string }).code ?? 'unreadable';
    throw new MinikuError('E_BAD_FLAG', `Cannot read --token-file "${path}": ${reason}`);
  }
  const parsed = parseTokenFile(text, path);
  if (!parsed.ok) throw new MinikuError('E_BAD_FLAG', parsed.message);
  const authenticator = new StaticTokenAuthenticator({ tokens: parsed.tokens });
  return {
    authenticate: (authorization) => authenticator.authenticate(authorization) !== undefined,
    first: parsed.firstToken as string,
  };
}

/** Checks the flags together and loads the token file; throws MinikuError (exit 2) if refused. */
export function resolveApiServerAccess(flags: ApiServerAccessFlags): ApiServerAccess {
  const bindAddress = flags.bindAddress ?? defaultBindAddress;
  if (isIP(bindAddress) === 0) {
    throw new MinikuError(
      'E_BAD_FLAG',
      `Invalid value for --bind-address: "${bindAddress}": expected an IP address`,
    );
  }
  const loopback = isLoopbackAddress(bindAddress);
  if (!loopback && flags.tokenFile === undefined && flags.insecureBindAny !== true) {
    throw new MinikuError(
      'E_INSECURE_BIND',
      `Refusing to listen on ${bindAddress}: the API runs root containers, so a non-loopback --bind-address needs --token-file FILE (bearer tokens) or --insecure-bind-any`,
    );
  }
  const access: ApiServerAccess = { bindAddress, clientHost: clientHostFor(bindAddress) };
  if (flags.tokenFile !== undefined) {
    const tokens = loadTokens(flags.tokenFile);
    access.authenticate = tokens.authenticate;
    access.clientToken = tokens.first;
  }
  return access;
}
