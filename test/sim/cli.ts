/**
 * Runs the simulator from a terminal:
 *   node out/test/sim/cli.js [--port N] [--host H] [--scenario demo|quirky|failed|idle|progressing] [--project 44056 --key KEY] [--quiet]
 * Prints the URL, logs one line per request (never a key), and closes on Ctrl-C.
 */
import { DEFAULT_API_KEY, DEFAULT_PROJECT_ID, Simulator } from './simulator';
import { SCENARIOS } from './scenarios';

interface CliArgs {
  port: number;
  host: string;
  scenario: string;
  project: number;
  key?: string;
  quiet: boolean;
}

const USAGE =
  'Usage: node out/test/sim/cli.js [--port N] [--host H] [--scenario ' +
  Object.keys(SCENARIOS).join('|') +
  '] [--project ID --key KEY] [--quiet]';

export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { port: 0, host: '127.0.0.1', scenario: 'demo', project: DEFAULT_PROJECT_ID, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--port':
        args.port = Number(value());
        if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new Error('--port must be 0..65535');
        break;
      case '--host':
        args.host = value();
        break;
      case '--scenario':
        args.scenario = value();
        if (!SCENARIOS[args.scenario]) throw new Error(`unknown scenario "${args.scenario}"`);
        break;
      case '--project':
        args.project = Number(value());
        if (!Number.isSafeInteger(args.project) || args.project <= 0) throw new Error('--project must be a positive integer');
        break;
      case '--key':
        args.key = value();
        break;
      case '--quiet':
        args.quiet = true;
        break;
      case '-h':
      case '--help':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${a}`);
    }
  }
  return args;
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const sim = await Simulator.start({
    port: args.port,
    host: args.host,
    projects: { [args.project]: args.key ?? DEFAULT_API_KEY },
    scenario: SCENARIOS[args.scenario](),
    log: args.quiet ? undefined : (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  console.log(`Xsolla simulator listening on ${sim.url}`);
  console.log(`  scenario: ${args.scenario}`);
  console.log(`  project:  ${args.project} (key: ${args.key === undefined ? 'the default test key, DEFAULT_API_KEY in test/sim/simulator.ts' : 'as given with --key'})`);
  console.log('  Set xsollaImport.apiBaseUrl to the URL above. Ctrl-C stops.');
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) void main();
