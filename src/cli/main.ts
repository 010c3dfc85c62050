/**
 * The `k8ts` command line: dispatches to subcommands. Returns the process exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [command] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write('Usage: k8ts <command> [flags]\n\nCommands:\n  server   run a single-node cluster\n');
    return 0;
  }
  process.stderr.write(`k8ts: unknown command "${command}"\n`);
  return 2;
}
