import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Keeps `cores` CPU cores busy with spinning node processes, as a busy machine would: the
 * embedded database failed only under such load. stop() kills them; so does this process's exit.
 */
export function startCpuLoad(cores = 2): { stop(): void } {
  const children: ChildProcess[] = [];
  for (let i = 0; i < cores; i++) {
    children.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
  }
  const stop = () => {
    for (const child of children) child.kill('SIGKILL');
    process.off('exit', stop);
  };
  process.on('exit', stop);
  return { stop };
}
