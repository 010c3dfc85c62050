/**
 * An exec check (probe or hook): the command runs in the container through CRI
 * ExecSync; exit code 0 passes, anything else fails with the command's output.
 */
import type { CriClient } from '../../runtime/cri/client.js';
import type { CheckOutcome } from './outcome.js';
import { errorMessage, failed, passed } from './outcome.js';

/** Runs `command` in container `containerId` with a runtime timeout of `timeoutSeconds`. */
export async function execCheck(cri: Pick<CriClient, 'execSync'>, containerId: string, command: string[], timeoutSeconds: number): Promise<CheckOutcome> {
  try {
    const result = await cri.execSync(containerId, command, timeoutSeconds);
    const output = Buffer.concat([result.stdout, result.stderr]).toString('utf8');
    return result.exitCode === 0 ? passed(output) : failed(output === '' ? `command ${JSON.stringify(command)} exited with ${result.exitCode}` : output);
  } catch (err) {
    const message = errorMessage(err);
    if (/deadline|timeout|timed out/i.test(message)) return failed(`command timed out: "${command.join(' ')}" timed out after ${timeoutSeconds}s`);
    return { result: 'error', output: message };
  }
}
