// One benchmark measurement in a fresh process: prints the value on stdout.
import { loadFigures } from './figures.js';

const [section, metric] = process.argv.slice(2);
const figure = (await loadFigures()).find((f) => f.section === section && f.metric === metric);
if (figure === undefined) {
  process.stderr.write(`no figure ${String(section)}/${String(metric)}\n`);
  process.exit(2);
}
process.stdout.write(`${await figure.measure()}\n`);
