// Entry point. Placeholder until the scripting CLI lands: keep `--version` free of heavy imports.
const argv = process.argv.slice(2);
if (argv[0] === '--version' || argv[0] === '-v') {
  process.stdout.write('0.1.0\n');
} else {
  process.stderr.write('zchat-auth: not built yet\n');
  process.exitCode = 1;
}
