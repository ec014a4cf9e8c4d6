// Prints the configuration table (markdown) from the settings in src/config.ts, for the README.
import { configTableMarkdown } from '../src/config-table.js';

console.log(configTableMarkdown());
