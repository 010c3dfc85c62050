/**
 * The `k8ts` command line: dispatches to subcommands and turns failures into exit
 * codes (0 ok, 1 runtime failure, 2 bad usage).
 */
import { UsageError } from './flags.js';
import { runImage } from './image.js';
import { runKillall } from './killall.js';
import { runServer } from './server.js';

const COMMANDS: Readonly<Record<string, { help: string; run(argv: readonly string[]): Promise<number> }>> = {
  server: { help: 'Run a single-node cluster (API server, datastore) in this process', run: runServer },
  image: { help: 'List and import images of the node\'s containerd (image ls, image import FILE.tar)', run: runImage },
  killall: { help: 'Stop all pods, containers and the containerd of a data dir', run: runKillall },
};

function topLevelUsage(): string {
  const lines = ['Usage: k8ts <command> [flags]', '', 'Kubernetes in TypeScript, as one program.', '', 'Commands:'];
  for (const [name, command] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)}${command.help}`);
  lines.push('', 'Run "k8ts <command> --help" for the flags of a command.');
  return `${lines.join('\n')}\n`;
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topLevelUsage());
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`k8ts: unknown command "${name}"\n\n${topLevelUsage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    process.stderr.write(`k8ts ${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
