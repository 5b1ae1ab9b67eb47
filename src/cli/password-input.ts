import { generatePassword } from '../users/credentials.policy.js';

export interface PasswordInput {
  password: string;
  /** Made here, so it must be shown once. */
  generated: boolean;
}

/**
 * Never from the command line, where `ps` and the shell history would keep
 * it: generated, typed at a prompt that does not echo, or piped in on stdin
 * (its first line).
 */
export async function readPassword(generate: boolean): Promise<PasswordInput> {
  if (generate) return { password: generatePassword(), generated: true };
  if (process.stdin.isTTY) {
    const password = await promptHidden('New password: ');
    if ((await promptHidden('Repeat it: ')) !== password) throw new Error('the two passwords typed differ');
    return { password, generated: false };
  }
  const password = (await readAll(process.stdin)).split(/\r?\n/, 1)[0];
  if (!password) throw new Error('no password on stdin: pipe one in, type it at a terminal, or use --generate-password');
  return { password, generated: false };
}

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A prompt on stderr (stdout stays the command's result) that does not echo what is typed. */
function promptHidden(prompt: string): Promise<string> {
  const { stdin, stderr } = process;
  stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    const finish = (settle: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      settle();
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n') {
          finish(() => resolve(typed.join('')));
          return;
        }
        if (character === '\u0003' || character === '\u0004') {
          finish(() => reject(new Error('cancelled')));
          return;
        }
        if (character === '\u007f' || character === '\b') typed = typed.slice(0, -1);
        else typed.push(character);
      }
    };
    stdin.on('data', onData);
  });
}
