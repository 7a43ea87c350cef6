// The pure parts of exec over WebSocket: target parsing, negotiation, refusals, frames, Status.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  channelFrame,
  execExitStatus,
  execFrameBytesMax,
  execOutputFrames,
  execRefusal,
  offeredSubprotocols,
  parseExecResult,
  parseExecTarget,
  selectSubprotocol,
  stdinUnsupportedMessage,
  type ExecTarget,
} from './websocket-exec-protocol.js';

const execUrl = '/api/v1/namespaces/default/pods/web-1/exec';

function target(query: Record<string, string>, command = ['ls']): ExecTarget {
  return { namespace: 'default', name: 'web-1', command, query };
}

/** Channel and text of each frame. */
function decode(frames: Buffer[]): Array<[number, string]> {
  return frames.map((frame) => [frame[0] as number, frame.subarray(1).toString('utf8')]);
}

describe('parseExecTarget', () => {
  it('keeps every command parameter in order and the first value of the others', () => {
    const url = `${execUrl}?command=sh&command=-c&command=echo%20hi%3B%20exit%203&container=main&stdout=true&stdout=false`;
    expect(parseExecTarget(url)).toEqual({
      namespace: 'default',
      name: 'web-1',
      command: ['sh', '-c', 'echo hi; exit 3'],
      query: { container: 'main', stdout: 'true' },
    });
  });

  it('recognises only the pods/exec path', () => {
    expect(parseExecTarget('/api/v1/namespaces/default/pods/web-1/log?command=x')).toBeUndefined();
    expect(parseExecTarget('/api/v1/namespaces/default/pods/web-1/exec/extra')).toBeUndefined();
    expect(parseExecTarget('/api/v1/namespaces/default/pods/%E0%A4%A/exec')).toBeUndefined();
    expect(parseExecTarget(execUrl)?.command).toEqual([]);
  });

  it('round-trips any argument vector through a query string', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 6 }), (command) => {
        const query = new URLSearchParams(command.map((arg): [string, string] => ['command', arg]));
        expect(parseExecTarget(`${execUrl}?${query.toString()}`)?.command).toEqual(command);
      }),
      { numRuns: 200 },
    );
  });
});

describe('subprotocol negotiation', () => {
  it("picks the client's first supported protocol", () => {
    expect(selectSubprotocol(['v4.channel.k8s.io', 'v5.channel.k8s.io'])).toBe('v4.channel.k8s.io');
    expect(selectSubprotocol(offeredSubprotocols('channel.k8s.io, v5.channel.k8s.io'))).toBe(
      'v5.channel.k8s.io',
    );
    expect(selectSubprotocol(['base64.channel.k8s.io', 'v3.channel.k8s.io'])).toBeUndefined();
    expect(offeredSubprotocols(undefined)).toEqual([]);
  });
});

describe('execRefusal', () => {
  it('refuses stdin, a missing command and a request without output streams', () => {
    expect(execRefusal(target({ stdout: 'true', stderr: 'true' }))).toBeUndefined();
    expect(execRefusal(target({ stdin: 'true', stdout: 'true' }))).toEqual({
      code: 400,
      reason: 'BadRequest',
      message: stdinUnsupportedMessage,
    });
    expect(execRefusal(target({ stdout: 'true' }, []))?.message).toBe(
      'you must specify at least 1 command',
    );
    expect(execRefusal(target({}))?.message).toBe(
      'you must specify at least 1 of stdin, stdout, stderr',
    );
    expect(execRefusal(target({ stderr: '1' }))).toBeUndefined();
  });
});

describe('output frames', () => {
  it('sends stdout on channel 1 and stderr on channel 2, only those asked for', () => {
    const result = { exitCode: 0, stdout: 'out\n', stderr: 'err\n' };
    expect(decode(execOutputFrames(result, { stdout: 'true', stderr: 'true' }))).toEqual([
      [1, 'out\n'],
      [2, 'err\n'],
    ]);
    expect(decode(execOutputFrames(result, { stderr: 'true' }))).toEqual([[2, 'err\n']]);
    expect(decode(execOutputFrames(result, { stdout: 'true', tty: 'true' }))).toEqual([
      [1, 'out\n'],
      [1, 'err\n'],
    ]);
    expect(execOutputFrames({ exitCode: 0, stdout: '', stderr: '' }, { stdout: 'true' })).toEqual(
      [],
    );
  });

  it('splits long output into frames of at most execFrameBytesMax payload bytes', () => {
    const stdout = 'é'.repeat(execFrameBytesMax); // two bytes each
    const frames = execOutputFrames({ exitCode: 0, stdout, stderr: '' }, { stdout: 'true' });
    expect(frames.map((frame) => frame.length - 1)).toEqual([execFrameBytesMax, execFrameBytesMax]);
    const joined = Buffer.concat(frames.map((frame) => frame.subarray(1))).toString('utf8');
    expect(joined).toBe(stdout);
    expect(channelFrame(3, Buffer.from('x'))).toEqual(Buffer.from([3, 0x78]));
  });
});

describe('execExitStatus', () => {
  it('is Success for 0 and NonZeroExitCode with an ExitCode cause otherwise', () => {
    expect(execExitStatus(0, ['true'])).toEqual({ metadata: {}, status: 'Success' });
    expect(execExitStatus(3, ['sh', '-c', 'exit 3'])).toEqual({
      metadata: {},
      status: 'Failure',
      message:
        'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    expect(execExitStatus(300, ['x'])).toMatchObject({ reason: 'InternalError', code: 500 });
    expect(execExitStatus(-1, ['x'])).toMatchObject({ reason: 'InternalError' });
  });
});

describe('parseExecResult', () => {
  it('accepts only a whole exec result', () => {
    const body = JSON.stringify({ exitCode: 1, stdout: 'a', stderr: 'b' });
    expect(parseExecResult(body)).toEqual({ exitCode: 1, stdout: 'a', stderr: 'b' });
    expect(parseExecResult('{"exitCode":1,"stdout":"a"}')).toBeUndefined();
    expect(parseExecResult('null')).toBeUndefined();
    expect(parseExecResult('not json')).toBeUndefined();
  });
});
