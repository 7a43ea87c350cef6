// `kubectl get` against `miniku apiserver`: the server-side Table columns kubectl prints match
// upstream's printers for pods, nodes, replicasets, deployments, services and events, with
// `-o wide|yaml|json|name`, for the kubectl on PATH and Debian's 1.20.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bindPod,
  completedStatus,
  crashLoopStatus,
  eventYaml,
  nodeYaml,
  podYaml,
  runningStatus,
  setPodStatus,
  workloadsYaml,
} from './kubectl-fixtures.js';
import {
  headerOf,
  kubectlVersions,
  rowsOf,
  startKubectlSession,
  type KubectlSession,
} from './kubectl-helpers.js';

const podColumns = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'];
const podWideColumns = [...podColumns, 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'];
const nodeColumns = ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'];
const nodeWideColumns = [
  ...nodeColumns,
  'INTERNAL-IP',
  'EXTERNAL-IP',
  'OS-IMAGE',
  'KERNEL-VERSION',
  'CONTAINER-RUNTIME',
];
const workloadWide = ['CONTAINERS', 'IMAGES', 'SELECTOR'];

describe.each(kubectlVersions())('$label: get', ({ path }) => {
  let session: KubectlSession;
  const kc = (...args: string[]) => session.kubectl(...args);

  beforeAll(async () => {
    if (path === undefined) return;
    session = await startKubectlSession(path, 'kubectl-get');
    await kc('apply', '-f', session.file('node.yaml', nodeYaml('node-1')));
    await kc('apply', '-f', session.file('workloads.yaml', workloadsYaml));
    for (const name of ['idle', 'running', 'crashing', 'done']) {
      await kc('apply', '-f', session.file(`${name}.yaml`, podYaml(name)));
    }
    for (const name of ['running', 'crashing', 'done']) await bindPod(session, name, 'node-1');
    await setPodStatus(session, 'running', runningStatus);
    await setPodStatus(session, 'crashing', crashLoopStatus);
    await setPodStatus(session, 'done', completedStatus);
    await kc('apply', '-f', session.file('event.yaml', eventYaml('running')));
  }, 30_000);

  afterAll(async () => {
    await session?.close();
  });

  it.skipIf(path === undefined)(
    'prints pods with the columns and statuses of upstream',
    async () => {
      const { stdout } = await kc('get', 'pods');
      expect(headerOf(stdout)).toEqual(podColumns);
      const rows = rowsOf(stdout).map((r) => [
        r.NAME,
        r.READY,
        r.STATUS,
        r.RESTARTS?.split(' ')[0],
      ]);
      expect(rows).toEqual([
        ['crashing', '0/1', 'CrashLoopBackOff', '3'],
        ['done', '0/1', 'Completed', '0'],
        ['idle', '0/1', 'Pending', '0'],
        ['running', '1/1', 'Running', '0'],
      ]);
      expect(rowsOf(stdout).find((r) => r.NAME === 'crashing')?.RESTARTS).toMatch(
        /^3 \(\d+\w+ ago\)$/,
      );
    },
  );

  it.skipIf(path === undefined)('adds the wide pod columns with -o wide', async () => {
    const { stdout } = await kc('get', 'pods', '-o', 'wide');
    expect(headerOf(stdout)).toEqual(podWideColumns);
    const running = rowsOf(stdout).find((r) => r.NAME === 'running');
    expect(running).toMatchObject({
      IP: '10.244.0.5',
      NODE: 'node-1',
      'NOMINATED NODE': '<none>',
      'READINESS GATES': '<none>',
    });
    expect(rowsOf(stdout).find((r) => r.NAME === 'idle')?.NODE).toBe('<none>');
  });

  it.skipIf(path === undefined)('prints one pod by name with the same columns', async () => {
    const { stdout } = await kc('get', 'pod', 'running');
    expect(headerOf(stdout)).toEqual(podColumns);
    expect(rowsOf(stdout).map((r) => r.NAME)).toEqual(['running']);
  });

  it.skipIf(path === undefined)('prints nodes, and their wide columns', async () => {
    const { stdout } = await kc('get', 'nodes');
    expect(headerOf(stdout)).toEqual(nodeColumns);
    expect(rowsOf(stdout)[0]).toMatchObject({
      NAME: 'node-1',
      STATUS: 'Ready',
      ROLES: 'worker',
      VERSION: 'v1.32.0-miniku',
    });
    const wide = await kc('get', 'nodes', '-o', 'wide');
    expect(headerOf(wide.stdout)).toEqual(nodeWideColumns);
    expect(rowsOf(wide.stdout)[0]).toMatchObject({
      'INTERNAL-IP': '10.0.0.11',
      'EXTERNAL-IP': '<none>',
      'OS-IMAGE': 'Debian GNU/Linux 12 (bookworm)',
      'KERNEL-VERSION': '6.1.0-miniku',
      'CONTAINER-RUNTIME': 'miniku://0.1.0',
    });
  });

  it.skipIf(path === undefined)('prints replicasets and deployments like upstream', async () => {
    const rs = await kc('get', 'rs', '-o', 'wide');
    expect(headerOf(rs.stdout)).toEqual([
      'NAME',
      'DESIRED',
      'CURRENT',
      'READY',
      'AGE',
      ...workloadWide,
    ]);
    expect(rowsOf(rs.stdout)[0]).toMatchObject({
      NAME: 'cache',
      DESIRED: '2',
      CURRENT: '0',
      READY: '0',
      CONTAINERS: 'redis',
      IMAGES: 'redis:7',
      SELECTOR: 'app=cache',
    });
    const deploy = await kc('get', 'deploy');
    expect(headerOf(deploy.stdout)).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(rowsOf(deploy.stdout)[0]).toMatchObject({ NAME: 'web', READY: '0/2' });
  });

  it.skipIf(path === undefined)('prints services and events like upstream', async () => {
    const svc = await kc('get', 'svc', '-o', 'wide');
    expect(headerOf(svc.stdout)).toEqual([
      'NAME',
      'TYPE',
      'CLUSTER-IP',
      'EXTERNAL-IP',
      'PORT(S)',
      'AGE',
      'SELECTOR',
    ]);
    expect(rowsOf(svc.stdout)[0]).toMatchObject({
      NAME: 'web',
      TYPE: 'ClusterIP',
      'PORT(S)': '80/TCP',
      SELECTOR: 'app=web',
    });
    const events = await kc('get', 'events');
    expect(headerOf(events.stdout)).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(rowsOf(events.stdout)[0]).toMatchObject({
      TYPE: 'Normal',
      REASON: 'Scheduled',
      OBJECT: 'pod/running',
      MESSAGE: 'Successfully assigned default/running to node-1',
    });
  });

  it.skipIf(path === undefined)('prints several kinds at once with their own headers', async () => {
    const { stdout } = await kc('get', 'deploy,rs,svc');
    const headers = stdout.split('\n').filter((line) => line.startsWith('NAME'));
    expect(headers.map((line) => line.trim().split(/\s{2,}/)[1])).toEqual([
      'READY',
      'DESIRED',
      'TYPE',
    ]);
    expect(stdout).toContain('deployment.apps/web');
    expect(stdout).toContain('replicaset.apps/cache');
    expect(stdout).toContain('service/web');
  });

  it.skipIf(path === undefined)('prints names, JSON and YAML from the plain objects', async () => {
    const names = await kc('get', 'pods', '-o', 'name');
    expect(names.stdout.trim().split('\n')).toEqual([
      'pod/crashing',
      'pod/done',
      'pod/idle',
      'pod/running',
    ]);
    const json = JSON.parse((await kc('get', 'pod', 'running', '-o', 'json')).stdout);
    expect(json.kind).toBe('Pod');
    expect(json.spec.nodeName).toBe('node-1');
    const list = JSON.parse((await kc('get', 'nodes', '-o', 'json')).stdout);
    expect(list.kind).toBe('List');
    expect(list.items[0].metadata.name).toBe('node-1');
    const yaml = (await kc('get', 'deploy', 'web', '-o', 'yaml')).stdout;
    expect(yaml).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\n/);
    expect(yaml).toContain('  replicas: 2\n');
  });

  it.skipIf(path === undefined)(
    'selects pods by field and rejects unknown field labels',
    async () => {
      const onNode = await kc(
        'get',
        'pods',
        '--field-selector',
        'spec.nodeName=node-1',
        '-o',
        'name',
      );
      expect(onNode.stdout.trim().split('\n')).toEqual(['pod/crashing', 'pod/done', 'pod/running']);
      const phase = await kc(
        'get',
        'pods',
        '--field-selector',
        'status.phase=Succeeded',
        '-o',
        'name',
      );
      expect(phase.stdout.trim()).toBe('pod/done');
      const failed = await session.kubectlFails('get', 'pods', '--field-selector', 'spec.bogus=1');
      expect(failed.stderr).toContain('field label not supported: spec.bogus');
    },
  );

  it.skipIf(path === undefined)('reports the v1.32 server version', async () => {
    const { stdout } = await kc('version', '-o', 'json');
    expect(JSON.parse(stdout).serverVersion.gitVersion).toMatch(/^v1\.32\.\d+-miniku/);
  });
});
