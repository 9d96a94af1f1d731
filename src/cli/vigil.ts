import { main } from './cli.js';

// The `vigil` executable: `serve` keeps running once it listens; every other command ends here.
const args = process.argv.slice(2);
const code = await main(args);
if (args[0] !== 'serve' || code !== 0) process.exit(code);
