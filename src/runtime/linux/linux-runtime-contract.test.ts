// The ContainerRuntime contract, run against the Linux-namespace runtime (root only).

import { runContainerRuntimeContract } from '../../../test/contracts/container-runtime.js';
import { describeLinux, linuxFixture } from './testing/linux-fixture.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describeLinux('LinuxRuntime', () => {
  runContainerRuntimeContract('LinuxRuntime', {
    newRuntime: async () => {
      const fixture = await linuxFixture();
      return {
        runtime: fixture.newRuntime(),
        advance: (ms) => sleep(ms),
        image: 'busybox:1.36',
        command: ['sleep', '3600'],
        exitImage: { image: 'busybox', exitCode: 3, command: ['sh', '-c', 'exit 3'] },
        cleanup: () => fixture.cleanup(),
      };
    },
    stepMs: 20,
  });
});
