// Tests of httpGet probe requests: URL, host default, headers and their defaults.

import { describe, expect, it } from 'vitest';
import {
  buildHttpProbeRequest,
  canonicalHeaderName,
  probeHeaders,
  probeUserAgent,
  type HttpGetHandler,
} from './http-probe-request.js';

const handler: HttpGetHandler = {
  type: 'httpGet',
  path: '/healthz?full=1',
  port: 'http',
  host: '',
  scheme: 'HTTP',
  headers: [],
};
const container = { name: 'app', ports: [{ name: 'http', containerPort: 8080 }] };

describe('buildHttpProbeRequest', () => {
  it('targets the pod IP on the resolved port with default headers', () => {
    expect(buildHttpProbeRequest(handler, container, '10.244.0.5')).toEqual({
      url: 'http://10.244.0.5:8080/healthz?full=1',
      request: {
        scheme: 'HTTP',
        host: '10.244.0.5',
        port: 8080,
        path: '/healthz?full=1',
        headers: [
          { name: 'Accept', value: '*/*' },
          { name: 'User-Agent', value: 'kube-probe/1.32' },
        ],
      },
    });
  });

  it('uses the probe host, lower-cases the scheme, adds a missing slash, brackets IPv6', () => {
    const https = {
      ...handler,
      scheme: 'HTTPS' as const,
      path: 'ready',
      host: 'fd00::1',
      port: 443,
    };
    const built = buildHttpProbeRequest(https, container, '10.244.0.5');
    expect(built).toMatchObject({
      url: 'https://[fd00::1]:443/ready',
      request: { host: 'fd00::1', port: 443, path: '/ready' },
    });
  });

  it('requests / for an empty path and leaves the URL bare', () => {
    const built = buildHttpProbeRequest({ ...handler, path: '', port: 80 }, container, '10.0.0.1');
    expect(built).toMatchObject({ url: 'http://10.0.0.1:80', request: { path: '/' } });
  });

  it('returns the port error of an unknown port name', () => {
    expect(buildHttpProbeRequest({ ...handler, port: 'admin' }, container, '10.0.0.1')).toEqual({
      error: 'strconv.Atoi: parsing "admin": invalid syntax',
    });
  });
});

describe('probeHeaders', () => {
  it('canonicalises names, keeps given User-Agent and Accept, sorts by name', () => {
    expect(
      probeHeaders([
        { name: 'x-trace-id', value: 'b' },
        { name: 'user-agent', value: 'mine' },
        { name: 'X-TRACE-ID', value: 'a' },
        { name: 'accept', value: 'application/json' },
      ]),
    ).toEqual([
      { name: 'Accept', value: 'application/json' },
      { name: 'User-Agent', value: 'mine' },
      { name: 'X-Trace-Id', value: 'b' },
      { name: 'X-Trace-Id', value: 'a' },
    ]);
  });

  it('drops Accept when the probe sets it empty', () => {
    expect(probeHeaders([{ name: 'Accept', value: '' }])).toEqual([
      { name: 'User-Agent', value: probeUserAgent },
    ]);
  });

  it.each([
    ['content-type', 'Content-Type'],
    ['HOST', 'Host'],
    ['x', 'X'],
    ['bad header', 'bad header'],
  ])('canonicalises %j as %j', (name, expected) => {
    expect(canonicalHeaderName(name)).toBe(expected);
  });
});
