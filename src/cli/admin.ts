/**
 * npm run admin -- <command>: the operator's tool, on the server's own
 * environment (DATABASE_URL, REDIS_URL, BCRYPT_COST, .env). Exit codes: 0 done,
 * 1 refused or failed (one line on stderr), 2 not understood (usage on stderr).
 */
import 'reflect-metadata';
import { HttpException } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { loadAppConfig } from '../config/app.config.js';
import type { RedisConnections } from '../redis/redis.connections.js';
import type { AdminCommands } from './admin.commands.js';
import { readPassword } from './password-input.js';

const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  create-user <username> [--role <role>]...  Create a user (role "user" unless given; --role admin for an administrator)
  reset-password <username>                  Set a new password; every token the user holds stops working
  create-client <name> --scope <scope>...    Create an approved machine client (client_credentials); prints its secret once
  rotate-keys                                A new signing key signs from now on; running servers switch within a second
  help                                       This text

Passwords are never taken from the command line: type one at the prompt, pipe it in on
stdin, or pass --generate-password to have one made and printed once.

Options:
  --generate-password   make the password (create-user, reset-password)
  --json                print the result as JSON

It runs with the server's environment (DATABASE_URL, REDIS_URL, BCRYPT_COST, .env).
Running servers see a new client or password at once with REDIS_URL, else within a minute.
Exit codes: 0 done, 1 refused or failed, 2 usage.
`;

/** A command line that cannot be run: answered with the usage and exit code 2. */
class UsageError extends Error {}

type Option = 'role' | 'scope' | 'generate-password';

const COMMANDS: Record<string, { operands: number; options: Option[] }> = {
  help: { operands: 0, options: [] },
  'create-user': { operands: 1, options: ['role', 'generate-password'] },
  'reset-password': { operands: 1, options: ['generate-password'] },
  'create-client': { operands: 1, options: ['scope'] },
  'rotate-keys': { operands: 0, options: [] },
};

interface Invocation {
  command: string;
  operand: string;
  roles: string[];
  scopes: string[];
  generatePassword: boolean;
  json: boolean;
}

function parse(argv: string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        role: { type: 'string', multiple: true },
        scope: { type: 'string', multiple: true },
        'generate-password': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { positionals, values } = parsed;
  const [command = 'help', ...operands] = values.help ? ['help'] : positionals;
  const rule = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!rule) throw new UsageError(`unknown command: ${command}`);
  if (operands.length !== rule.operands) throw new UsageError(`${command} takes ${rule.operands === 1 ? 'one argument' : 'no arguments'}`);
  const misplaced = (['role', 'scope', 'generate-password'] as const).filter((option) => values[option] !== undefined && !rule.options.includes(option));
  if (misplaced.length) throw new UsageError(`${command} does not take --${misplaced.join(' or --')}`);
  if (command === 'create-client' && !values.scope) throw new UsageError('create-client needs at least one --scope');
  return {
    command,
    operand: operands[0] ?? '',
    roles: values.role ?? ['user'],
    scopes: values.scope ?? [],
    generatePassword: values['generate-password'] ?? false,
    json: values.json ?? false,
  };
}

/** Runs the command; returns the lines (or JSON) to print. */
async function execute(commands: AdminCommands, redis: RedisConnections, invocation: Invocation): Promise<{ result: object; lines: string[] }> {
  const later = redis.enabled ? 'at once' : 'within a minute (set REDIS_URL for at once)';
  switch (invocation.command) {
    case 'create-user': {
      const { password, generated } = await readPassword(invocation.generatePassword);
      const user = await commands.createUser(invocation.operand, password, invocation.roles);
      const lines = [`Created user ${user.username} (roles: ${user.roles.join(', ') || 'none'}), id ${user.id}`];
      if (generated) lines.push(`  password: ${password}   (shown once: store it now)`);
      return { result: { user, ...(generated && { password }) }, lines };
    }
    case 'reset-password': {
      const { password, generated } = await readPassword(invocation.generatePassword);
      const user = await commands.resetPassword(invocation.operand, password);
      const lines = [`New password set for ${user.username}; tokens issued before now are refused by running servers ${later}`];
      if (generated) lines.push(`  password: ${password}   (shown once: store it now)`);
      return { result: { user, ...(generated && { password }) }, lines };
    }
    case 'create-client': {
      const secret = await commands.createClient(invocation.operand, invocation.scopes);
      const lines = [
        `Created machine client "${invocation.operand}" (grant client_credentials; scopes ${invocation.scopes.join(' ')}); running servers accept it ${later}`,
        `  client_id:      ${secret.client_id}`,
        `  client_secret:  ${secret.client_secret}   (shown once: store it now)`,
      ];
      return { result: secret, lines };
    }
    case 'rotate-keys': {
      const rotated = await commands.rotateKeys();
      const lines = [
        `New signing key ${rotated.kid} is active; retired: ${rotated.retired.join(', ') || 'none'}; running servers sign with it within a second`,
      ];
      return { result: rotated, lines };
    }
    default:
      throw new UsageError(`unknown command: ${invocation.command}`);
  }
}

/** One line, whatever failed: an input the API would refuse, a conflict, an unreachable database. */
function describeFailure(error: unknown): string {
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    return typeof message === 'string' ? message : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

async function main(argv: string[]): Promise<number> {
  const invocation = parse(argv);
  if (invocation.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  loadAppConfig(process.env); // a bad environment: one line naming the variable, before anything runs
  // Loaded only now, so that help and usage errors answer at once.
  const [{ NestFactory }, { AdminModule }, { AdminCommands }, { RedisConnections }] = await Promise.all([
    import('@nestjs/core'),
    import('./admin.module.js'),
    import('./admin.commands.js'),
    import('../redis/redis.connections.js'),
  ]);
  const app = await NestFactory.createApplicationContext(AdminModule, { logger: false, abortOnError: false });
  try {
    const redis = app.get(RedisConnections);
    // A change other instances must hear of cannot wait in a queue that this process then drops.
    await redis.commandReady(5_000);
    const { result, lines } = await execute(app.get(AdminCommands), redis, invocation);
    process.stdout.write(invocation.json ? `${JSON.stringify(result)}\n` : `${lines.join('\n')}\n`);
    return 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`admin: ${error.message}\n\n${USAGE}`);
    else process.stderr.write(`admin: ${describeFailure(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
