/** Progress lines of the backup CLIs on stderr (stdout carries only the result's path). */
export function createProgress(stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  return {
    step: (message: string) => stream.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}\n`),
    size: (bytes: number) => (bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`),
  };
}
